import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySecret,
  decodeAccessToken,
  referenceTokenExpiry,
  TokenFormatError,
  usernameFromSubject,
  verifyTokenSignature,
} from '../../electron/core/tokens.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

describe('tokens', () => {
  let fake: FakeArtifactory;
  const start = Date.UTC(2026, 10, 22, 12);
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ start, frozen: true }) });
  });
  afterAll(() => fake.stop());

  it('classifies secrets by shape', () => {
    const token = fake.issueToken({ username: 'alice', expiresIn: 3600, includeReferenceToken: true });
    expect(classifySecret(token.jwt)).toBe('access-token');
    expect(classifySecret(` ${token.jwt}\n`)).toBe('access-token');
    expect(classifySecret(token.referenceToken ?? '')).toBe('reference-token');
    expect(classifySecret(fake.createApiKey('bob'))).toBe('api-key');
    expect(classifySecret('AKCp5shortDockerToken')).toBe('unknown');
    expect(classifySecret('hunter2')).toBe('unknown');
  });

  it('decodes every claim of an Access token', () => {
    const token = fake.issueToken({
      username: 'alice',
      scope: 'applied-permissions/groups:readers artifact:npm-virtual:r',
      audience: ['jfrt@*', 'jfac@*'],
      expiresIn: 7200,
    });
    expect(decodeAccessToken(token.jwt)).toEqual({
      tokenId: token.id,
      subject: `${fake.accessServiceId}/users/alice`,
      username: 'alice',
      scopes: ['applied-permissions/groups:readers', 'artifact:npm-virtual:r'],
      audience: ['jfrt@*', 'jfac@*'],
      issuer: fake.accessServiceId,
      issuedAt: start / 1000,
      expiresAt: start / 1000 + 7200,
      revocable: false,
      keyId: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('reads a non-expiring token as expiresAt null and a string audience as a list', () => {
    const claims = decodeAccessToken(fake.issueToken({ username: 'bob', expiresIn: 0 }).jwt);
    expect(claims.expiresAt).toBeNull();
    expect(claims.audience).toEqual(['*@*']);
    expect(claims.revocable).toBe(true);
  });

  it('keeps only the service ids of an audience list, and reads issuer and subject whatever service signed', () => {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${part({ alg: 'RS256' })}.${part({ sub: 'jffe@000/users/alice', iss: 'jffe@000', aud: ['jfrt@*', 7, null, 'jfac@*'] })}.c2ln`;
    expect(decodeAccessToken(jwt)).toMatchObject({
      subject: 'jffe@000/users/alice',
      username: 'alice',
      issuer: 'jffe@000',
      audience: ['jfrt@*', 'jfac@*'],
      revocable: null,
    });
  });

  it('extracts usernames the way jfrog-cli does', () => {
    expect(usernameFromSubject('jfac@01abc/users/alice')).toBe('alice');
    expect(usernameFromSubject('jfrt@01abc/users/ci/bot')).toBe('bot');
    expect(usernameFromSubject('jfrt@01abc')).toBeNull();
    expect(usernameFromSubject('owner/repo')).toBeNull();
  });

  it('refuses what is not a JWT with a clear error, never echoing the input', () => {
    for (const bad of ['not-a-token', 'eyJ.eyJ.sig', 'a.b.c']) {
      expect(() => decodeAccessToken(bad)).toThrow(TokenFormatError);
    }
    try {
      decodeAccessToken('secret-canary-value');
    } catch (error) {
      expect(String(error)).not.toContain('secret-canary-value');
    }
  });

  it('refuses a token whose exp, iat or nbf is present but not a finite number, and still reads an absent exp as non-expiring', () => {
    const signed = fake.issueToken({ username: 'alice', expiresIn: 3600, expClaim: 'never' });
    expect(() => decodeAccessToken(signed.jwt)).toThrow(/"exp" claim is not a number/);
    const [header] = signed.jwt.split('.');
    const withPayload = (payload: string): string => `${header}.${Buffer.from(payload).toString('base64url')}.c2ln`;
    const sub = '"sub":"jfac@01abc/users/alice"';
    // JSON has no Infinity, but 1e999 parses to it.
    for (const claims of ['"exp":1e999', '"exp":null', '"exp":"1999999999"', '"iat":"yesterday"', '"nbf":[1]']) {
      expect(() => decodeAccessToken(withPayload(`{${sub},${claims}}`)), claims).toThrow(TokenFormatError);
    }
    expect(decodeAccessToken(withPayload(`{${sub},"iat":1700000000}`))).toMatchObject({ expiresAt: null, issuedAt: 1_700_000_000 });
  });

  it('reads the expiry inside a reference token', () => {
    const expiring = fake.issueToken({ username: 'alice', expiresIn: 3600, includeReferenceToken: true });
    expect(referenceTokenExpiry(expiring.referenceToken ?? '')).toEqual({ expiresAt: start / 1000 + 3600 });
    const forever = fake.issueToken({ username: 'alice', expiresIn: 0, includeReferenceToken: true });
    expect(referenceTokenExpiry(forever.referenceToken ?? '')).toEqual({ expiresAt: null });
    expect(referenceTokenExpiry('nope')).toBeUndefined();
  });

  it('verifies signatures against the root certificate, and degrades without one', async () => {
    const token = fake.issueToken({ username: 'alice', expiresIn: 3600 });
    const root = fake.rootCertificate.der.toString('base64');
    expect(await verifyTokenSignature(token.jwt, root)).toBe('verified');
    expect(await verifyTokenSignature(token.jwt, fake.rootCertificate.pem)).toBe('verified');
    expect(await verifyTokenSignature(token.jwt, null)).toBe('not-checked');
    expect(await verifyTokenSignature(token.jwt, 'bm90IGEgY2VydA==')).toBe('not-checked');

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const [header, payload] = token.jwt.split('.');
    const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    expect(await verifyTokenSignature(forged, root)).toBe('invalid');
  });
});
