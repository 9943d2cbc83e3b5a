import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { fingerprint, formatRecord } from '../fake-artifactory/recorder.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  ALICE,
  basic,
  bearer,
  createToken,
  get,
  NOW,
  postForm,
  postTokens,
  settled,
  startFrozen,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

const VERSION = '/artifactory/api/system/version';

/** The request log: who called with what, and never the secret itself. */
describe('fake Artifactory: request recorder', () => {
  let fake: FakeArtifactory;
  const lines: string[] = [];
  beforeAll(async () => {
    // Anonymous access on: the version endpoint then answers every kind of caller, anonymous too.
    fake = await startFrozen({ log: (line) => lines.push(line), config: { ...BASIC_TOKEN_CREATION, anonymousAccess: true } });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.config.allowUnauthenticatedRefresh = false;
    fake.requests.clear();
    lines.length = 0;
  });

  const last = async (
    path: string,
  ): Promise<ReturnType<FakeArtifactory['requests']['list']>[number]> => {
    await settled(fake);
    const record = fake.requests.list({ path }).at(-1);
    if (!record) throw new Error(`no request to ${path}`);
    return record;
  };

  it('records method, path, query, scheme, credential, user, token id, fingerprint, status and user agent', async () => {
    const token = fake.issueToken({ username: 'alice', expiresIn: 86_400 });
    await get(fake, `${VERSION}?a=1`, bearer(token.jwt), {
      headers: { 'user-agent': 'Artikey/0.1.0 (test)' },
    });
    expect(await last(VERSION)).toEqual({
      seq: expect.any(Number),
      time: NOW,
      method: 'GET',
      path: VERSION,
      query: '?a=1',
      scheme: 'Bearer',
      credential: 'access-token',
      user: 'alice',
      tokenId: token.id,
      secret: fingerprint(token.jwt),
      userAgent: 'Artikey/0.1.0 (test)',
      status: 200,
      fault: null,
    });
  });

  it('tells each kind of credential apart', async () => {
    const token = fake.issueToken({
      username: 'alice',
      expiresIn: 86_400,
      includeReferenceToken: true,
    });
    const key = fake.createApiKey('bob');
    const cases: [Record<string, string>, Record<string, unknown>][] = [
      [{}, { scheme: null, credential: null, user: null, secret: null, status: 200 }],
      [
        { authorization: ALICE },
        {
          scheme: 'Basic',
          credential: 'password',
          user: 'alice',
          tokenId: null,
          secret: fingerprint(DEMO_USER.password),
        },
      ],
      [
        { authorization: bearer(token.referenceToken ?? '') },
        { scheme: 'Bearer', credential: 'reference-token', user: 'alice', tokenId: token.id },
      ],
      [
        { authorization: basic('alice', token.jwt) },
        { scheme: 'Basic', credential: 'access-token', user: 'alice', tokenId: token.id },
      ],
      [
        { 'X-JFrog-Art-Api': key },
        { scheme: 'ApiKey', credential: 'api-key', user: 'bob', secret: fingerprint(key) },
      ],
      [
        { authorization: basic('bob', key) },
        { scheme: 'Basic', credential: 'api-key', user: 'bob' },
      ],
      [
        { authorization: basic('alice', 'wrong') },
        { scheme: 'Basic', credential: 'invalid', user: 'alice', status: 401 },
      ],
      [
        { authorization: 'Bearer nonsense' },
        { scheme: 'Bearer', credential: 'invalid', user: null, status: 401 },
      ],
      // Unknown names are not kept: they may be a secret typed into the wrong field.
      [
        { authorization: basic('nobody-here', 'x') },
        { scheme: 'Basic', credential: 'invalid', user: null, status: 401 },
      ],
    ];
    for (const [headers, expected] of cases) {
      await get(fake, VERSION, undefined, { headers });
      expect(await last(VERSION), JSON.stringify(expected)).toMatchObject(expected);
    }
  });

  it('records a refresh by refresh token alone as refresh-pair, with the user and the old token id', async () => {
    fake.config.allowUnauthenticatedRefresh = true; // a permissive server's
    const first = await createToken(fake, ALICE, { refreshable: true, expires_in: 86_400 });
    const second = (await (
      await postTokens(fake, undefined, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
      })
    ).json()) as { access_token: string; refresh_token: string };
    expect(await last('/access/api/v1/tokens')).toMatchObject({
      method: 'POST',
      scheme: null,
      credential: 'refresh-pair',
      user: 'alice',
      tokenId: first.token_id,
      secret: null,
      status: 200,
    });
    await postTokens(fake, bearer(second.access_token), {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
    });
    expect(await last('/access/api/v1/tokens')).toMatchObject({
      scheme: 'Bearer',
      credential: 'access-token',
      user: 'alice',
      secret: fingerprint(second.access_token),
      status: 200,
    });
  });

  it('fingerprints are short one-way tags: 12 hex characters of SHA-256, distinct per secret', () => {
    expect(fingerprint('abc')).toBe(createHash('sha256').update('abc').digest('hex').slice(0, 12));
    expect(fake.fingerprint('abc')).toBe(fingerprint('abc'));
    expect(fingerprint('abd')).not.toBe(fingerprint('abc'));
  });

  it('redacts the values of secret-looking query parameters, keeping the rest', async () => {
    await get(
      fake,
      `${VERSION}?token=qs-canary-1&access_token=qs-canary-2&password=qs-canary-3&apiKey=qs-canary-4&X-Auth=qs-canary-5&repo=libs&q=a*`,
    );
    const record = await last(VERSION);
    expect(record.query).toBe(
      '?token=***&access_token=***&password=***&apiKey=***&X-Auth=***&repo=libs&q=a*',
    );
    expect(formatRecord(record)).toBe(`GET ${VERSION}${record.query} -> 200`);
  });

  it('filters by method and path, and clears', async () => {
    await get(fake, VERSION);
    await get(fake, '/artifactory/api/system/ping');
    await fetch(`${fake.url}/artifactory/api/system/ping`, { method: 'HEAD' });
    await settled(fake);
    expect(fake.requests.list({ method: 'HEAD' }).map((r) => r.path)).toEqual([
      '/artifactory/api/system/ping',
    ]);
    expect(fake.requests.list({ path: /ping$/ })).toHaveLength(2);
    expect(fake.requests.list({ path: VERSION })).toHaveLength(1);
    const copy = fake.requests.list();
    fake.requests.clear();
    expect(fake.requests.list()).toEqual([]);
    expect(copy).toHaveLength(3);
  });

  it('formats one line per request: method, path, status, who', async () => {
    await get(fake, VERSION, ALICE);
    await get(fake, VERSION, basic('alice', 'wrong'));
    await settled(fake);
    expect(fake.requests.list().map(formatRecord)).toEqual([
      `GET ${VERSION} -> 200 Basic password user=alice`,
      `GET ${VERSION} -> 401 Basic invalid user=alice`,
    ]);
    expect(lines).toEqual(fake.requests.list().map(formatRecord));
  });

  it('never lets a secret into a log line, a formatted record or the records themselves', async () => {
    const password = 'Canary-Password-7f3a9c';
    fake.directory.addUser({ name: 'canary', password });
    const token = await createToken(fake, basic('canary', password), {
      refreshable: true,
      expires_in: 86_400,
      include_reference_token: true,
    });
    const apiKey = fake.createApiKey('canary');
    const canaries = [
      password,
      token.access_token,
      token.refresh_token ?? '',
      token.reference_token ?? '',
      apiKey,
      'Canary-Query-Secret',
      'Canary-Wrong-Password',
    ];
    for (const canary of canaries) expect(canary.length).toBeGreaterThan(10);

    await get(fake, VERSION, bearer(token.access_token));
    await get(fake, VERSION, basic('canary', token.access_token));
    await get(fake, VERSION, bearer(token.reference_token ?? ''));
    await get(fake, VERSION, basic('canary', 'Canary-Wrong-Password'));
    await get(fake, VERSION, undefined, { headers: { 'X-JFrog-Art-Api': apiKey } });
    await get(fake, `${VERSION}?token=Canary-Query-Secret&password=Canary-Query-Secret`);
    // A secret pasted into the username slot must not leak through the user field either.
    await get(fake, VERSION, basic(token.access_token, 'x'));
    await get(fake, VERSION, basic(apiKey, ''));
    await get(fake, VERSION, basic(token.reference_token ?? '', password));
    await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token));
    const refreshed = await postTokens(fake, bearer(token.access_token), {
      grant_type: 'refresh_token',
      refresh_token: token.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    await postTokens(
      fake,
      undefined,
      { grant_type: 'refresh_token', refresh_token: token.refresh_token },
      true,
    );
    await postForm(fake, '/artifactory/api/security/token/revoke', basic('canary', password), {
      token: token.access_token,
    });
    await fetch(`${fake.url}/access/api/v1/tokens/revoke`, {
      method: 'DELETE',
      headers: {
        authorization: basic('admin', 'admin-demo-password'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ token: token.reference_token }),
    });
    await settled(fake);

    const records = fake.requests.list();
    expect(records.length).toBeGreaterThanOrEqual(14);
    const everything = [
      lines.join('\n'),
      records.map(formatRecord).join('\n'),
      JSON.stringify(records),
    ].join('\n');
    for (const canary of canaries)
      expect(everything, `leaked ${canary.slice(0, 8)}…`).not.toContain(canary);
    // But the fingerprints are there to tell the credentials apart.
    expect(everything).toContain(fingerprint(token.access_token));
  });
});
