import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../fake-artifactory/config.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { bearer, get, reset, startFrozen } from './helpers.js';

/** The raw payload, as JSON text and parsed: real tokens escape slashes, so both matter. */
const payloadOf = (jwt: string): { text: string; claims: Record<string, unknown> } => {
  const text = Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8');
  return { text, claims: JSON.parse(text) as Record<string, unknown> };
};

/** The knob tokenShape (config.ts cites where each shape was seen). */
describe('fake Artifactory: token shapes', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());

  const mint = (username = 'alice'): string => fake.issueToken({ username, expiresIn: 86_400 }).jwt;

  it('by default writes the Access token of JFrog\'s fixtures: ext first, jfac@ issuer and subject, aud "*@*"', () => {
    reset(fake);
    expect(defaultConfig().tokenShape).toEqual({
      ext: true,
      issuer: 'access',
      subject: 'access',
      audience: 'string',
    });
    const { text, claims } = payloadOf(mint());
    expect(Object.keys(claims)).toEqual(['ext', 'sub', 'scp', 'aud', 'iss', 'exp', 'iat', 'jti']);
    expect(claims).toMatchObject({
      ext: '{"revocable":"true"}',
      sub: `${fake.accessServiceId}/users/alice`,
      aud: '*@*',
      iss: fake.accessServiceId,
    });
    expect(text).toContain('\\/users\\/alice');
  });

  it('leaves ext out, signs as jffe@000 with a jfac@ or jffe@ subject, and writes aud as a list, each on its own', () => {
    reset(fake, { tokenShape: { ...defaultConfig().tokenShape, ext: false } });
    expect(payloadOf(mint()).claims).not.toHaveProperty('ext');

    reset(fake, { tokenShape: { ...defaultConfig().tokenShape, issuer: 'frontend' } });
    expect(payloadOf(mint()).claims).toMatchObject({
      iss: 'jffe@000',
      sub: `${fake.accessServiceId}/users/alice`,
    });

    reset(fake, {
      tokenShape: { ...defaultConfig().tokenShape, issuer: 'frontend', subject: 'frontend' },
    });
    expect(payloadOf(mint()).claims).toMatchObject({
      iss: 'jffe@000',
      sub: 'jffe@000/users/alice',
    });

    reset(fake, { tokenShape: { ...defaultConfig().tokenShape, audience: 'array' } });
    expect(payloadOf(mint()).claims['aud']).toEqual(['jfrt@*', 'jfmd@*', 'jfevt@*', 'jfac@*']);
    // A requested audience is written as asked, whatever the default.
    expect(
      payloadOf(fake.issueToken({ username: 'alice', expiresIn: 86_400, audience: 'jfrt@*' }).jwt)
        .claims['aud'],
    ).toBe('jfrt@*');
  });

  it('describes such a token by id with the subject and issuer it carries, and accepts it as a bearer', async () => {
    reset(fake, {
      tokenShape: { ext: false, issuer: 'frontend', subject: 'frontend', audience: 'array' },
    });
    const token = fake.issueToken({ username: 'alice', expiresIn: 86_400 });
    const info = await get(fake, `/access/api/v1/tokens/${token.id}`, bearer(token.jwt));
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      token_id: token.id,
      subject: 'jffe@000/users/alice',
      issuer: 'jffe@000',
    });
  });

  it('keeps legacy Artifactory tokens jfrt@ throughout, whatever the Access shape', () => {
    reset(fake, {
      tokenShape: { ext: true, issuer: 'frontend', subject: 'frontend', audience: 'array' },
    });
    const legacy = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 3600 });
    expect(payloadOf(legacy.jwt).claims).toMatchObject({
      sub: `${fake.artifactoryServiceId}/users/alice`,
      iss: fake.artifactoryServiceId,
      aud: fake.artifactoryServiceId,
    });
  });
});
