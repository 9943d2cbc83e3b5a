import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../fake-artifactory/jwt.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  ALICE,
  artifactoryError,
  basic,
  bearer,
  createToken,
  decodeJwt,
  get,
  NOW_S,
  reset,
  startFrozen,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

const ARTIFACTORY_PATHS = ['/artifactory/api/system/version', '/artifactory/api/security/apiKey'];
const ACCESS_ME = '/access/api/v1/tokens/me';

/**
 * Expired, revoked, malformed and foreign credentials: the two error shapes of API notes §8
 * (Artifactory: numeric `status`, Basic challenge, ISO-8859-1 JSON; Access: string `code`).
 */
describe('fake Artifactory: credential errors', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake, BASIC_TOKEN_CREATION));

  async function expectArtifactory401(
    authorization: Record<string, string>,
    message: string,
  ): Promise<void> {
    for (const path of ARTIFACTORY_PATHS) {
      const res = await get(fake, path, undefined, { headers: authorization });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      expect(res.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
      expect(await res.text()).toBe(JSON.stringify(artifactoryError(401, message)));
    }
  }
  async function expectAccess401(
    authorization: Record<string, string>,
    message: string,
  ): Promise<void> {
    const res = await get(fake, ACCESS_ME, undefined, { headers: authorization });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(JSON.stringify(accessError('UNAUTHORIZED', message)));
  }

  it('a valid token passes both services (control)', async () => {
    const { access_token } = await createToken(fake, ALICE, { expires_in: 86_400 });
    for (const path of [...ARTIFACTORY_PATHS, ACCESS_ME])
      expect((await get(fake, path, bearer(access_token))).status, path).toBe(200);
  });

  it('expired: "Token failed verification: expired" / "Invalid token, expired", from the exp second on', async () => {
    const token = await createToken(fake, ALICE, {
      expires_in: 86_400,
      include_reference_token: true,
    });
    fake.clock.advance(86_399);
    expect((await get(fake, ACCESS_ME, bearer(token.access_token))).status).toBe(200);
    fake.clock.advance(1);
    expect(decodeJwt(token.access_token).payload['exp']).toBe(NOW_S + 86_400);
    for (const secret of [token.access_token, token.reference_token ?? '']) {
      await expectArtifactory401(
        { authorization: bearer(secret) },
        'Token failed verification: expired',
      );
      await expectArtifactory401(
        { authorization: basic('alice', secret) },
        'Token failed verification: expired',
      );
      await expectAccess401({ authorization: bearer(secret) }, 'Invalid token, expired');
    }
  });

  it('revoked: "Token failed verification: revoked" / "Invalid token, revoked"', async () => {
    const token = await createToken(fake, ALICE, { expires_in: 86_400 });
    expect(
      (
        await fetch(`${fake.url}/access/api/v1/tokens/${token.token_id}`, {
          method: 'DELETE',
          headers: { authorization: ALICE },
        })
      ).status,
    ).toBe(200);
    await expectArtifactory401(
      { authorization: bearer(token.access_token) },
      'Token failed verification: revoked',
    );
    await expectAccess401({ authorization: bearer(token.access_token) }, 'Invalid token, revoked');
  });

  it('malformed bearer values', async () => {
    for (const value of ['not-a-jwt', 'eyJhbGciOi.broken', 'eyJub3QganNvbg.e30.c2ln']) {
      await expectArtifactory401(
        { authorization: bearer(value) },
        'Token failed verification: parse error',
      );
      await expectAccess401({ authorization: bearer(value) }, 'Invalid token, malformed');
    }
  });

  it('a JWT in JFrog layout signed by a different key is "Bad credentials"', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const real = decodeJwt((await createToken(fake, ALICE, { expires_in: 86_400 })).access_token);
    const foreign = signJwt(
      {
        sub: `${fake.accessServiceId}/users/alice`,
        scp: 'applied-permissions/user',
        aud: '*@*',
        iss: fake.accessServiceId,
        exp: NOW_S + 3600,
        iat: NOW_S,
        jti: String(real.payload['jti']),
      },
      privateKey,
      String(real.header['kid']),
    );
    await expectArtifactory401({ authorization: bearer(foreign) }, 'Bad credentials');
    await expectArtifactory401({ authorization: basic('alice', foreign) }, 'Bad credentials');
    await expectAccess401({ authorization: bearer(foreign) }, 'Bad credentials');
  });

  it('an unknown reference token, a wrong password and an unknown API key are "Bad credentials"', async () => {
    const unknownReference = Buffer.from(`reftkn:01:0000000000:${'A'.repeat(27)}`).toString(
      'base64',
    );
    expect(unknownReference).toMatch(/^cmVmd[A-Za-z0-9]{59}$/);
    await expectArtifactory401({ authorization: bearer(unknownReference) }, 'Bad credentials');
    await expectArtifactory401({ authorization: basic('alice', 'wrong') }, 'Bad credentials');
    await expectArtifactory401({ 'X-JFrog-Art-Api': `AKCp8${'x'.repeat(68)}` }, 'Bad credentials');
    await expectAccess401({ authorization: basic('alice', 'wrong') }, 'Bad credentials');
  });

  it('a token presented with someone else’s Basic username is refused while usernames must match', async () => {
    const { access_token } = await createToken(fake, ALICE, { expires_in: 86_400 });
    await expectArtifactory401({ authorization: basic('bob', access_token) }, 'Bad credentials');
    fake.config.basicUsernameMustMatchToken = false;
    expect(
      (await get(fake, ARTIFACTORY_PATHS[0] ?? '', basic('anyone', access_token))).status,
    ).toBe(200);
  });

  it('anonymous where authentication is required: Unauthorized in each shape', async () => {
    const art = await get(fake, '/artifactory/api/security/apiKey');
    expect(art.status).toBe(401);
    expect(art.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    expect(await art.json()).toEqual(artifactoryError(401, 'Unauthorized'));
    const access = await get(fake, ACCESS_ME);
    expect(access.status).toBe(401);
    expect(await access.json()).toEqual(accessError('UNAUTHORIZED', 'Unauthorized'));
  });

  it('unknown paths: 404 in each service’s shape', async () => {
    const art = await get(fake, '/artifactory/api/nothing-here');
    expect(art.status).toBe(404);
    expect(art.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
    expect(await art.json()).toEqual(artifactoryError(404, 'Could not find resource'));
    const access = await get(fake, '/access/api/v1/nothing-here');
    expect(access.status).toBe(404);
    expect(await access.json()).toEqual(accessError('NOT_FOUND', 'HTTP 404 Not Found'));
  });
});
