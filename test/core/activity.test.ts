import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActivityLog, type ActivityEntry } from '../../electron/core/activity.js';
import { Artikey } from '../../electron/core/artikey.js';
import { createHttpClient } from '../../electron/core/http.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

const entry = (at: number, message: string): ActivityEntry => ({
  at,
  kind: 'refresh',
  instanceId: 'acme',
  instanceName: 'Acme',
  message,
});

describe('the activity log file', () => {
  let folder: string;
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const log = (options: ConstructorParameters<typeof ActivityLog>[1] = {}): ActivityLog => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-activity-'));
    return new ActivityLog(join(folder, 'activity.jsonl'), options);
  };

  it('appends one JSON line per entry (0600) and lists the newest first', async () => {
    const activity = log();
    await activity.append(entry(100, 'first'));
    await activity.append(entry(300, 'third'));
    await activity.append(entry(200, 'second'));
    await activity.append(entry(300, 'fourth, same second'));
    const lines = readFileSync(activity.path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!)).toEqual(entry(100, 'first'));
    expect(statSync(activity.path).mode & 0o777).toBe(0o600);
    expect((await activity.list()).map((e) => e.message)).toEqual([
      'fourth, same second',
      'third',
      'second',
      'first',
    ]);
    expect((await activity.list(2)).map((e) => e.message)).toEqual([
      'fourth, same second',
      'third',
    ]);
    expect(await new ActivityLog(join(folder, 'none.jsonl')).list()).toEqual([]);
  });

  it('skips damaged, half-written and foreign lines and keeps reading', async () => {
    const activity = log();
    await activity.append(entry(1, 'before'));
    appendFileSync(
      activity.path,
      [
        '{"at": 2, "kind": "refresh", "instanceId": "acme", "instanceName": "Ac',
        'not json at all',
        '[1,2,3]',
        '{"at":"yesterday","kind":"refresh","instanceId":null,"instanceName":null,"message":"x"}',
        '{"at":3,"kind":"hacked","instanceId":null,"instanceName":null,"message":"x"}',
        '{"at":4,"kind":"login","instanceId":7,"instanceName":null,"message":"x"}',
        '',
      ].join('\n'),
    );
    await activity.append(entry(5, 'after'));
    expect((await activity.list()).map((e) => e.message)).toEqual(['after', 'before']);
  });

  it('never writes a credential, even when a caller passes one in a message', async () => {
    const activity = log();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlX2NhbmFyeQ';
    await activity.append(entry(1, `server said: token ${jwt} is bad\nsecond line`));
    const text = readFileSync(activity.path, 'utf8');
    expect(text).not.toContain(jwt);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('caps the file: past the limit it is rotated aside, the newest entries kept', async () => {
    const activity = log({ maxBytes: 16 * 1024 });
    for (let i = 0; i < 600; i++) await activity.append(entry(i, `entry ${i} ${'x'.repeat(40)}`));
    expect(statSync(activity.path).size).toBeLessThanOrEqual(16 * 1024 + 200);
    expect(statSync(activity.previousPath).size).toBeLessThanOrEqual(16 * 1024 + 200);
    const kept = await activity.list(1000);
    expect(kept[0]?.message).toMatch(/^entry 599 /);
    expect(kept.length).toBeGreaterThan((16 * 1024) / 200);
    expect(kept.length).toBeLessThan(600);
    // Newest first, without gaps: rotation loses nothing between what is kept.
    expect(kept.map((e) => e.at)).toEqual(kept.map((_, i) => 599 - i));
  });

  it('two writers appending at once lose and tear no line', async () => {
    const activity = log();
    const other = new ActivityLog(activity.path);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? activity : other).append(
          entry(i, `writer ${i % 2} entry ${i} ${'y'.repeat(300)}`),
        ),
      ),
    );
    const lines = readFileSync(activity.path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    expect((await activity.list(1000)).length).toBe(200);
  });

  it('a write that fails is a warning, never an error', async () => {
    const warnings: string[] = [];
    const activity = log({
      logger: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    const blocked = new ActivityLog(join(activity.path, 'under-a-file.jsonl'), {
      logger: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    appendFileSync(activity.path, '');
    await expect(blocked.append(entry(1, 'x'))).resolves.toBeUndefined();
    expect(warnings.join('\n')).toContain('could not write the activity log');
  });
});

describe('what Artikey records in the activity log', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    fake.faults.clear();
  });

  it('login, refresh, a failed refresh, rename and logout, newest first, beside the state file and without a secret', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { name: 'Demo' });
    const first = await t.vault.read(instance.id);
    fake.clock.advance(60);
    await t.artikey.refresh(instance.id);
    const second = await t.vault.read(instance.id);
    // The server's error message quotes the token: it must not reach the log.
    fake.faults.add({
      method: 'POST',
      path: '/access/api/v1/tokens',
      times: 1,
      action: {
        kind: 'status',
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          errors: [{ code: 'INTERNAL', message: `cannot refresh ${second?.accessToken ?? ''}` }],
        }),
      },
    });
    fake.clock.advance(60);
    await expect(t.artikey.refresh(instance.id)).rejects.toBeDefined();
    fake.clock.advance(60);
    await t.artikey.rename(instance.id, 'Renamed');
    fake.clock.advance(60);
    await t.artikey.logout(instance.id);

    const activity = await t.artikey.activity();
    expect(activity.map((e) => e.kind)).toEqual([
      'logout',
      'rename',
      'refresh-failed',
      'refresh',
      'login',
    ]);
    expect(activity.every((e) => e.instanceId === instance.id)).toBe(true);
    expect(activity.map((e) => e.instanceName)).toEqual([
      'Renamed',
      'Renamed',
      'Demo',
      'Demo',
      'Demo',
    ]);
    const now = Math.floor(fake.clock.now() / 1000);
    expect(activity.map((e) => e.at)).toEqual([now, now - 60, now - 120, now - 180, now - 240]);
    expect(activity[0]?.message).toMatch(/^Logged out and revoked the token/);
    expect(activity[2]?.message).toMatch(/^Refresh failed \(server-error\)/);
    expect(activity[4]?.message).toMatch(/^Logged in as alice \(browser\), valid until \d{4}-/);

    const file = join(t.home, '.config', 'artikey', 'activity.jsonl');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    for (const secret of [
      first?.accessToken,
      first?.refreshToken,
      second?.accessToken,
      second?.refreshToken,
      // The year-long token the browser login handed over (and Artikey revoked) among them.
      ...fake.tokens.all().map((token) => token.jwt),
    ])
      expect(text).not.toContain(secret ?? 'missing');
  });

  it('tool changes and revocations are recorded; two Artikey processes write to one log at once', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const other = new Artikey({
      stateFile: t.stateFile,
      vault: t.vault,
      httpFor: () => Promise.resolve(createHttpClient({ env: {}, sleep: () => Promise.resolve() })),
      now: () => fake.clock.now(),
    });
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => t.artikey.rename(instance.id, `Mine ${i}`)),
      ...Array.from({ length: 10 }, (_, i) => other.rename(instance.id, `Other ${i}`)),
    ]);
    await t.artikey.configureTool(instance.id, {
      kind: 'netrc',
      path: join(t.home, '.netrc'),
      machine: '127.0.0.1',
    });
    await t.artikey.unconfigureTool(instance.id);
    await t.artikey.revoke(instance.id);
    const activity = await other.activity(1000);
    expect(activity.filter((e) => e.kind === 'rename')).toHaveLength(20);
    expect(activity.slice(0, 3).map((e) => [e.kind, e.message])).toEqual([
      ['revoked', 'Revoked the token Artikey holds'],
      ['tools', expect.stringMatching(/^Removed netrc: machine 127\.0\.0\.1 in /)],
      ['tools', expect.stringMatching(/^Configured netrc: machine 127\.0\.0\.1 in /)],
    ]);
  });

  it('records the notices it was told were shown', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { name: 'Noticed' });
    await t.artikey.markNoticesShown([
      {
        key: 'k1',
        covers: [],
        instanceId: instance.id,
        kind: 'expiring',
        title: 'Noticed: the token expires in 1 hour',
        body: 'Log in again.',
        actions: ['log-in-again'],
      },
    ]);
    expect((await t.artikey.activity(1))[0]).toMatchObject({
      kind: 'notice',
      instanceId: instance.id,
      instanceName: 'Noticed',
      message: 'Notice shown: Noticed: the token expires in 1 hour',
    });
  });
});
