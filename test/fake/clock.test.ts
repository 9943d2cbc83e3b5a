import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  ALICE,
  createToken,
  decodeJwt,
  get,
  NOW,
  NOW_S,
  startFrozen,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

describe('FakeClock', () => {
  it('frozen: stands still, moves only by advance() and set()', async () => {
    const clock = new FakeClock({ start: NOW, frozen: true });
    expect(clock.now()).toBe(NOW);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBe(NOW);
    clock.advance(90);
    expect(clock.now()).toBe(NOW + 90_000);
    expect(clock.seconds()).toBe(NOW_S + 90);
    clock.advance(0.5);
    expect(clock.seconds()).toBe(NOW_S + 90);
    clock.set(new Date(NOW - 1000));
    expect(clock.now()).toBe(NOW - 1000);
    clock.set(NOW);
    expect(clock.seconds()).toBe(NOW_S);
  });

  it('accepts a Date as start', () => {
    expect(new FakeClock({ start: new Date(NOW), frozen: true }).now()).toBe(NOW);
  });

  it('unfrozen: follows the wall clock from the start given, with advance() and set() as offsets', async () => {
    const clock = new FakeClock({ start: NOW });
    const offset = (): number => clock.now() - Date.now();
    expect(Math.abs(offset() - (NOW - Date.now()))).toBeLessThan(50);
    const before = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now() - before).toBeGreaterThanOrEqual(25);
    const drift = offset();
    clock.advance(3600);
    expect(Math.abs(offset() - drift - 3_600_000)).toBeLessThan(50);
    clock.set(NOW + 5000);
    expect(Math.abs(clock.now() - (NOW + 5000))).toBeLessThan(50);
  });

  it('without options follows the wall clock', () => {
    expect(Math.abs(new FakeClock().now() - Date.now())).toBeLessThan(50);
  });

  it('refuses a non-finite advance', () => {
    const clock = new FakeClock({ start: NOW, frozen: true });
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(clock.now()).toBe(NOW);
  });
});

describe('fake Artifactory: time comes from its clock', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
  });
  afterAll(() => fake.stop());

  it('dates responses and tokens by the fake clock', async () => {
    fake.clock.advance(3600);
    const res = await get(fake, '/artifactory/api/system/ping');
    expect(res.headers.get('date')).toBe(new Date(NOW + 3_600_000).toUTCString());
    const token = await createToken(fake, ALICE, { expires_in: 60 });
    expect(decodeJwt(token.access_token).payload).toMatchObject({
      iat: NOW_S + 3600,
      exp: NOW_S + 3660,
    });
    fake.clock.set(NOW);
  });
});
