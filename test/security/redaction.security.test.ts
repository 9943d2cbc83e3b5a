import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessClient } from '../../electron/core/access.js';
import { createHttpClient } from '../../electron/core/http.js';
import { redact, redactValues } from '../../electron/core/logger.js';
import { Vault } from '../../electron/core/vault.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { realKeychain } from '../support/keychain.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';

/**
 * Threat: a gateway's error page quotes the request back. The refresh request's body holds the
 * refresh token (an opaque string no shape pattern knows) and the access token; Artikey quotes
 * such pages in its errors, which reach stderr, the activity log and the state file.
 */
const TOKENS = '/access/api/v1/tokens';

/** True when `text` holds the secret, or any 8-character run of it (a clipped quote leaks a part). */
function holdsAnyOf(text: string, secret: string): boolean {
  for (let start = 0; start + 8 <= secret.length; start++)
    if (text.includes(secret.slice(start, start + 8))) return true;
  return false;
}

/** A JWT's header and claims are public; its signature is what makes it a credential. */
const signatureOf = (jwt: string): string => jwt.split('.')[2] ?? jwt;

describe('secrets are redacted by shape: the token fields of JSON and form bodies', () => {
  it.each([
    [
      'JSON',
      '{"grant_type":"refresh_token","refresh_token":"0f4b2c1e-opaque","access_token":"opaque-access","password":"hunter2!x"}',
    ],
    [
      'JSON with spaces',
      '{ "refresh_token" : "0f4b2c1e-opaque", "access_token": "opaque-access", "password" : "hunter2!x" }',
    ],
    [
      'escaped JSON inside a message',
      '{\\"refresh_token\\":\\"0f4b2c1e-opaque\\",\\"access_token\\":\\"opaque-access\\",\\"password\\":\\"hunter2!x\\"}',
    ],
    [
      'a form body',
      'grant_type=refresh_token&refresh_token=0f4b2c1e-opaque&access_token=opaque-access&password=hunter2!x',
    ],
    [
      'a form body at the start of a line',
      'refresh_token=0f4b2c1e-opaque password=hunter2!x access_token=opaque-access',
    ],
  ])('%s', (_, text) => {
    const line = redact(`the server said ${text}`);
    for (const secret of ['0f4b2c1e-opaque', 'opaque-access', 'hunter2!x'])
      expect(line).not.toContain(secret);
    expect(line).toMatch(/refresh_token/);
    expect(line).toContain('[redacted]');
  });

  it('leaves words that only look like the field names alone', () => {
    expect(redact('grant_type=refresh_token, no token here')).toBe(
      'grant_type=refresh_token, no token here',
    );
  });
});

describe('secrets are redacted by value', () => {
  it('removes an opaque refresh token no shape pattern knows, in every form it takes on the wire', () => {
    const secret = 'p1ain opaque/value+"quoted"';
    const text = `raw ${secret}; json ${JSON.stringify(secret)}; uri ${encodeURIComponent(secret)}; form ${new URLSearchParams({ s: secret }).toString()}`;
    expect(redact(text)).toContain('p1ain opaque');
    const clean = redactValues(text, [secret]);
    expect(clean).not.toContain('p1ain');
    expect(clean).toContain('raw [redacted]; json "[redacted]"; uri [redacted]; form s=[redacted]');
  });

  it('keeps a message readable when a value is too short to be a secret worth hiding', () => {
    expect(redactValues('a 502 page', ['a', ''])).toBe('a 502 page');
  });
});

describe('an error page echoing the refresh request repeats no secret', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.faults.clear());

  it('in the AccessClient error, even where the quote is clipped', async () => {
    const client = new AccessClient(
      createHttpClient({ env: {}, sleep: () => Promise.resolve() }),
      `${fake.url}/`,
    );
    // The person's own token creates the pair, as a strict server allows (a password would be refused).
    const grant = await client.createToken(
      {
        kind: 'bearer',
        token: fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt,
      },
      { refreshable: true },
    );
    const refreshToken = grant.refreshToken ?? '';
    for (const contentType of ['text/plain', 'application/json']) {
      fake.faults.add({
        method: 'POST',
        path: TOKENS,
        times: 1,
        action: { kind: 'echo', status: 502, contentType },
      });
      const error = (await client
        .refreshToken(grant.accessToken, refreshToken)
        .catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({
        code: 'server-error',
        message: expect.stringContaining('502'),
      });
      expect(holdsAnyOf(`${error.message}\n${error.stack ?? ''}`, refreshToken)).toBe(false);
      expect(
        holdsAnyOf(`${error.message}\n${error.stack ?? ''}`, signatureOf(grant.accessToken)),
      ).toBe(false);
    }
    // Neither was spent: the pair still refreshes.
    expect((await client.refreshToken(grant.accessToken, refreshToken)).accessToken).toBeTruthy();
  });

  it('keeps the browser-login session, a secret in the URL path, out of errors', async () => {
    const client = new AccessClient(
      createHttpClient({ env: {}, sleep: () => Promise.resolve() }),
      `${fake.url}/`,
    );
    const session = randomUUID();
    fake.faults.add({
      path: '/access/api/v2/authentication/jfrog_client_login/token/*',
      times: 1,
      action: { kind: 'status', status: 404, body: `no session ${session}` },
    });
    const error = (await client.pollWebLogin(session).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'not-found' });
    expect(`${error.message}\n${error.stack ?? ''}`).not.toContain(session);
  });

  it('in the facade: the error, the activity log, the state file and the log lines', async () => {
    const t = testArtikey(fake);
    try {
      const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
      const secrets = await t.vault.read(instance.id);
      const refreshToken = secrets?.refreshToken ?? '';
      expect(refreshToken).not.toBe('');
      fake.faults.add({ method: 'POST', path: TOKENS, times: 1, action: { kind: 'echo' } });
      const error = (await t.artikey.refresh(instance.id).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/502/);
      const said = [
        error.message,
        JSON.stringify(await t.artikey.activity()),
        readFileSync(t.stateFile, 'utf8'),
        ...t.logs,
      ].join('\n');
      expect(holdsAnyOf(said, refreshToken)).toBe(false);
      expect(holdsAnyOf(said, signatureOf(secrets?.accessToken ?? ''))).toBe(false);
      await t.vault.erase(instance.id);
    } finally {
      t.cleanup();
    }
  });
});

describe('`artikey refresh` against a gateway that echoes the request', () => {
  let fake: FakeArtifactory;
  let artikey: SourceCli;
  const cli = (args: string[], input = '') => artikey.run(args, { input });
  const configFile = (name: string): string => join(artikey.home, '.config', 'artikey', name);

  beforeAll(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    artikey = sourceCli({ prefix: 'artikey-redaction-' });
  });
  afterAll(async () => {
    await cli(['logout', fake.host]);
    await fake.stop();
    artikey.cleanup();
  });

  it('says the gateway failed, in plain and JSON output, and never prints the refresh or access token', async () => {
    const login = await cli(['login', fake.url, '--no-browser']);
    expect(login.code).toBe(0);
    const secrets = await new Vault(realKeychain(artikey.env['ARTIKEY_KEYCHAIN_SERVICE'])).read(
      `127.0.0.1-${fake.port}`,
    );
    const refreshToken = secrets?.refreshToken ?? '';
    const accessToken = secrets?.accessToken ?? '';
    expect(refreshToken).not.toBe('');

    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 2,
      action: { kind: 'echo', status: 502, contentType: 'text/plain' },
    });
    const plain = await cli(['refresh', fake.host]);
    const json = await cli(['refresh', fake.host, '--json']);
    expect(plain).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^artikey: Could not refresh the token: .* failed \(502, .*\[server-error\]\n$/s,
      ),
    });
    expect(JSON.parse(json.stderr)).toMatchObject({
      error: { code: 'server-error', message: expect.stringContaining('502') },
    });

    const activity = configFile('activity.jsonl');
    expect(existsSync(activity)).toBe(true);
    const everything = [
      plain.stdout,
      plain.stderr,
      json.stdout,
      json.stderr,
      readFileSync(activity, 'utf8'),
      readFileSync(configFile('state.json'), 'utf8'),
    ].join('\n');
    expect(everything).toMatch(/Refresh failed \(server-error\)/);
    expect(holdsAnyOf(everything, refreshToken)).toBe(false);
    expect(holdsAnyOf(everything, signatureOf(accessToken))).toBe(false);

    // The refresh token was never spent: the next refresh works.
    expect(await cli(['refresh', fake.host])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Refreshed /),
    });
    // Five CLI processes, each compiling TypeScript on start: slow on a busy machine, not a timing claim.
  }, 120_000);
});
