import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { importX509, jwtVerify, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../fake-artifactory/jwt.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  ADMIN,
  ALICE,
  bearer,
  createToken,
  decodeJwt,
  get,
  NOW,
  NOW_S,
  startFrozen,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

const PREFIX = 'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi';

/** The access-token JWT layout (API notes §4) and its signature against the served root certificate. */
describe('fake Artifactory: JWT layout', () => {
  let fake: FakeArtifactory;
  let key: CryptoKey;
  let certificateText: string;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
    const admin = await createToken(fake, ADMIN, {
      scope: 'applied-permissions/admin',
      expires_in: 3600,
    });
    const res = await get(fake, '/access/api/v1/cert/root', bearer(admin.access_token));
    expect(res.status).toBe(200);
    certificateText = await res.text();
    const pem = `-----BEGIN CERTIFICATE-----\n${certificateText.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
    key = await importX509(pem, 'RS256');
  });
  afterAll(() => fake.stop());

  it('writes the header exactly as JFrog does, in key order', async () => {
    const { access_token } = await createToken(fake, ALICE);
    expect(access_token.startsWith(PREFIX)).toBe(true);
    const { rawHeader, header } = decodeJwt(access_token);
    expect(rawHeader).toMatch(
      /^\{"ver":"2","typ":"JWT","alg":"RS256","kid":"[A-Za-z0-9_-]{43}"\}$/,
    );
    expect(Object.keys(header)).toEqual(['ver', 'typ', 'alg', 'kid']);
    // One signing key, one kid, for every token.
    expect(
      decodeJwt((await createToken(fake, ALICE, { expires_in: 60 })).access_token).header['kid'],
    ).toBe(header['kid']);
  });

  it('carries sub, scp, aud, iss, exp, iat, jti and ext', async () => {
    const body = await createToken(fake, ALICE, { expires_in: 86_400, refreshable: true });
    const { payload } = decodeJwt(body.access_token);
    expect(fake.accessServiceId).toMatch(/^jfac@01[0-9a-z]{24}$/);
    expect(payload).toEqual({
      ext: '{"revocable":"true"}',
      sub: `${fake.accessServiceId}/users/alice`,
      scp: 'applied-permissions/user',
      aud: '*@*',
      iss: fake.accessServiceId,
      exp: NOW_S + 86_400,
      iat: NOW_S,
      jti: body.token_id,
    });
    expect(typeof payload['ext']).toBe('string');
    expect(JSON.parse(String(payload['ext']))).toEqual({ revocable: 'true' });
  });

  it('escapes slashes as \\/ in the raw payload and stays readable with standard base64', async () => {
    const { access_token } = await createToken(fake, ALICE, {
      scope: 'applied-permissions/groups:readers',
    });
    const { rawPayload } = decodeJwt(access_token);
    expect(rawPayload).toContain(`"sub":"${fake.accessServiceId}\\/users\\/alice"`);
    expect(rawPayload).toContain('"scp":"applied-permissions\\/groups:readers"');
    expect(rawPayload.replaceAll('\\/', '')).not.toContain('/');
    // jfrog-cli decodes the payload with standard base64: no base64url-only characters.
    const segment = access_token.split('.')[1] ?? '';
    expect(segment).not.toMatch(/[-_]/);
    expect(Buffer.from(segment, 'base64').toString()).toBe(rawPayload);
  });

  it('serves the root certificate as base64 DER of the token issuer', () => {
    expect(certificateText).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const cert = new X509Certificate(Buffer.from(certificateText, 'base64'));
    expect(cert.subject).toBe(`CN=JFrog Token Issuer ${fake.accessServiceId}`);
  });

  it('signs so that jose verifies the token with the root certificate’s key', async () => {
    const body = await createToken(fake, ALICE, { audience: 'jfrt@* jfac@*', expires_in: 3600 });
    const { payload, protectedHeader } = await jwtVerify(body.access_token, key, {
      algorithms: ['RS256'],
      issuer: fake.accessServiceId,
      audience: 'jfrt@*',
      currentDate: new Date(NOW),
    });
    expect(protectedHeader).toMatchObject({ ver: '2', typ: 'JWT', alg: 'RS256' });
    expect(payload.jti).toBe(body.token_id);
    expect(payload.aud).toEqual(['jfrt@*', 'jfac@*']);
  });

  it('signs non-expiring and legacy tokens with the same key', async () => {
    const forever = await createToken(fake, ALICE, { expires_in: 0 });
    const { payload } = await jwtVerify(forever.access_token, key, { currentDate: new Date(NOW) });
    expect(payload.exp).toBeUndefined();
    const legacy = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 3600 }).jwt;
    const verified = await jwtVerify(legacy, key, { currentDate: new Date(NOW) });
    expect(verified.payload).toMatchObject({
      iss: fake.artifactoryServiceId,
      aud: fake.artifactoryServiceId,
      sub: `${fake.artifactoryServiceId}/users/alice`,
    });
  });

  it('a token signed by another key does not verify (control for the check above)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = signJwt(
      {
        sub: `${fake.accessServiceId}/users/alice`,
        scp: 'applied-permissions/user',
        aud: '*@*',
        iss: fake.accessServiceId,
        iat: NOW_S,
        jti: 'x',
      },
      privateKey,
      'k'.repeat(43),
    );
    expect(foreign.startsWith(PREFIX)).toBe(true);
    await expect(jwtVerify(foreign, key, { currentDate: new Date(NOW) })).rejects.toThrow(
      /signature/,
    );
  });
});
