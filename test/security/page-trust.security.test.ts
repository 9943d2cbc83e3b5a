import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultHttpFor } from '../../electron/core/artikey.js';
import { createHttpClient } from '../../electron/core/http.js';
import { plainHttpWarning } from '../../electron/core/plain-http.js';
import type { MethodName, Result } from '../../electron/ipc/contract.js';
import { createHandlers } from '../../electron/main/api.js';
import { BrowserLogins } from '../../electron/main/browser-login.js';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';
import { createDispatcher, type Dispatch } from '../../electron/main/dispatcher.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { recordingDialogs, type RecordingDialogs } from '../support/dialogs.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/**
 * Threat: a compromised window page. It can call any IPC method with any arguments, so every
 * decision that widens trust — showing a token, trusting a CA bundle, routing traffic through a
 * proxy — must be taken by main, which asks the person in a native dialog naming the instance's
 * host. Runs the real dispatcher and handlers over the real core, the fake and the keychain.
 */
describe('the page cannot take trust decisions', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let dialogs: RecordingDialogs;
  let dispatch: Dispatch;
  let id: string;
  const host = () => new URL(fake.url).host;
  const state = () => readFileSync(t.stateFile, 'utf8');
  const call = (method: MethodName, ...args: unknown[]): Promise<Result<unknown>> =>
    dispatch(method, args);

  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    t = testArtikey(fake);
    dialogs = recordingDialogs();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const handlers = createHandlers({
      artikey: t.artikey,
      environment: { platform: 'linux', env: {}, home: t.home },
      desktop: {
        info: { name: 'Artikey', version: '0', packaged: false, platform: 'linux' },
        openInBrowser: () => Promise.resolve(),
        launchAtLogin: { get: () => Promise.resolve(null), set: () => Promise.resolve() },
        cliTools: {
          status: () => Promise.reject(new Error('not used')),
          install: () => Promise.reject(new Error('not used')),
        },
      },
      dialogs,
      clipboard: new ClipboardGuard({ writeText: () => undefined, readText: () => '' }),
      browserLogins: new BrowserLogins(
        t.artikey,
        () => Promise.resolve(),
        () => undefined,
      ),
      nextRefreshes: () => new Map(),
      logger: quiet,
    });
    dispatch = createDispatcher(handlers, quiet);
    ({ id } = (await logInAs(t.artikey, fake, DEMO_USER.name)).instance);
  });
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  it('token.reveal: no token when main’s dialog says no, and `confirmed` from the page is refused', async () => {
    const token = await t.artikey.accessToken(id);
    expect(await call('token.reveal', id, { confirmed: true })).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
    expect(dialogs.asked).toEqual([]);

    dialogs.answer = false;
    const declined = await call('token.reveal', id);
    expect(declined).toMatchObject({ ok: false, code: 'declined' });
    expect(JSON.stringify(declined)).not.toContain(token);
    expect(dialogs.asked).toHaveLength(1);
    expect(dialogs.asked[0]?.message).toBe(`Show the token for ${host()}?`);

    dialogs.answer = true;
    expect(await call('token.reveal', id)).toEqual({ ok: true, value: { token } });
    expect(dialogs.asked).toHaveLength(2);
  });

  it('a CA bundle: the page cannot name a path; main picks the file and asks before trusting it', async () => {
    const before = state();
    const caFile = join(t.home, 'corp-ca.pem');
    writeFileSync(caFile, PEM, { mode: 0o644 });
    expect(await call('instances.setConnection', id, { caFile, proxy: null })).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });

    dialogs.pick = null;
    expect(await call('instances.pickCaFile', id)).toMatchObject({ ok: false, code: 'declined' });
    expect(dialogs.picked).toEqual([host()]);
    dialogs.pick = caFile;
    dialogs.answer = false;
    expect(await call('instances.pickCaFile', id)).toMatchObject({ ok: false, code: 'declined' });
    expect(dialogs.asked.at(-1)?.message).toBe(`Trust this CA bundle for ${host()}?`);
    expect(dialogs.asked.at(-1)?.detail).toContain(caFile);
    expect(state()).toBe(before);

    dialogs.answer = true;
    expect(await call('instances.pickCaFile', id)).toMatchObject({
      ok: true,
      value: { connection: { caFile, proxy: null } },
    });

    // Clearing it is main's decision too.
    dialogs.answer = false;
    const trusted = state();
    expect(await call('instances.setConnection', id, { clearCaFile: true })).toMatchObject({
      ok: false,
      code: 'declined',
    });
    expect(dialogs.asked.at(-1)?.message).toBe(`Stop trusting the CA bundle for ${host()}?`);
    expect(state()).toBe(trusted);
  });

  it('a proxy: the page proposes, main asks naming the host and the proxy, and a no changes nothing', async () => {
    const before = state();
    dialogs.answer = false;
    const proxy = 'http://proxy.example.com:3128';
    expect(await call('instances.setConnection', id, { proxy })).toMatchObject({
      ok: false,
      code: 'declined',
    });
    expect(dialogs.asked.at(-1)?.message).toBe(
      `Send ${host()}'s traffic through the proxy proxy.example.com:3128?`,
    );
    expect(state()).toBe(before);

    // A malformed proxy is refused before anyone is asked.
    const asked = dialogs.asked.length;
    expect(await call('instances.setConnection', id, { proxy: 'socks5://x:1' })).toMatchObject({
      ok: false,
      code: 'invalid-option',
    });
    expect(dialogs.asked).toHaveLength(asked);

    dialogs.answer = true;
    expect(await call('instances.setConnection', id, { proxy })).toMatchObject({ ok: true });
    expect((await t.artikey.inspect(id)).connection.proxy).toBe(proxy);

    dialogs.answer = false;
    const proxied = state();
    expect(await call('instances.setConnection', id, { proxy: null })).toMatchObject({
      ok: false,
      code: 'declined',
    });
    expect(dialogs.asked.at(-1)?.message).toBe(`Stop using the proxy for ${host()}?`);
    expect(state()).toBe(proxied);
  });
});

/** Threat: another local user (or process) who can write the CA bundle can make Artikey trust their server. */
describe('the core refuses CA bundles others could change', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  const bundles = (home: string) => {
    mkdirSync(join(home, 'certs'));
    const file = (name: string, mode: number, uid?: number) => {
      const path = join(home, 'certs', name);
      writeFileSync(path, PEM);
      chmodSync(path, mode);
      if (uid !== undefined) chownSync(path, uid, process.getgid?.() ?? 0);
      return path;
    };
    return {
      good: file('good.pem', 0o644),
      worldWritable: file('world.pem', 0o666),
      groupWritable: file('group.pem', 0o664),
      // Only root can give a file away; the tests run as root in their container.
      foreign: process.getuid?.() === 0 ? file('foreign.pem', 0o644, 4242) : null,
    };
  };

  it('at setConnection and at login: writable by group or others, or owned by another user', async () => {
    t = testArtikey(fake);
    const files = bundles(t.home);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const before = readFileSync(t.stateFile, 'utf8');
    const refused = [files.worldWritable, files.groupWritable, files.foreign].filter(
      (f): f is string => f !== null,
    );
    expect(refused.length).toBeGreaterThanOrEqual(process.getuid?.() === 0 ? 3 : 2);
    for (const caFile of refused) {
      await expect(t.artikey.setConnection(instance.id, { caFile })).rejects.toMatchObject({
        code: 'invalid-option',
        message: expect.stringMatching(/CA bundle .* (can be changed by|belongs to)/),
      });
      await expect(logInAs(t.artikey, fake, DEMO_USER.name, { caFile })).rejects.toMatchObject({
        code: 'invalid-option',
      });
    }
    expect(readFileSync(t.stateFile, 'utf8')).toBe(before);
    await t.artikey.setConnection(instance.id, { caFile: files.good });
    expect((await t.artikey.inspect(instance.id)).connection.caFile).toBe(files.good);
  });

  it('on every use: a bundle that became writable by others since it was chosen is no longer trusted', async () => {
    t = testArtikey(fake);
    const { good } = bundles(t.home);
    await expect(defaultHttpFor({ caFile: good, proxy: null }, {})).resolves.toBeTypeOf('function');
    chmodSync(good, 0o666);
    await expect(defaultHttpFor({ caFile: good, proxy: null }, {})).rejects.toMatchObject({
      code: 'invalid-option',
      message: expect.stringContaining('can be changed by every user'),
    });
  });

  it('at login, a file that is not PEM is refused before any request', async () => {
    t = testArtikey(fake);
    const notPem = join(t.home, 'key.pem');
    writeFileSync(notPem, 'not a certificate', { mode: 0o600 });
    await expect(
      logInAs(t.artikey, fake, DEMO_USER.name, { caFile: notPem }),
    ).rejects.toMatchObject({ code: 'invalid-option', message: expect.stringContaining('PEM') });
    expect(await t.artikey.list()).toEqual([]);
  });
});

/** Threat: a proxy (or anyone on the path) reading tokens sent over plain HTTP. */
describe('plain HTTP to a host that is not this machine is called out', () => {
  it('names the remote http:// instances, not https:// or loopback ones', () => {
    for (const url of [
      'http://artifactory.example.test/',
      'http://10.0.0.5:8082/',
      'http://acme.jfrog.io/',
      'http://localhost.example.com/',
      'http://[::ffff:8.8.8.8]/',
      'http://127.0.0.1.nip.io/',
    ])
      expect(plainHttpWarning(url), url).toMatch(/plain http:\/\//);
    for (const url of [
      'https://acme.jfrog.io/',
      'http://127.0.0.1:8082/',
      'http://127.10.0.1/',
      'http://localhost:8082/',
      'http://app.localhost/',
      'http://[::1]:8082/',
    ])
      expect(plainHttpWarning(url), url).toBeNull();
  });

  it('warns at login and in the instance view; a loopback instance has no warning', async () => {
    const fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    // The instance's name is not loopback, but every request goes to the fake (as a proxy):
    // nothing leaves this machine, and no name is ever looked up.
    const t = testArtikey(fake, {
      httpFor: () =>
        Promise.resolve(
          createHttpClient({ env: { HTTP_PROXY: fake.url }, sleep: () => Promise.resolve() }),
        ),
    });
    try {
      const remote = `http://artifactory.example.test:${fake.port}`;
      const outcome = await logInAs(t.artikey, fake, DEMO_USER.name, { url: remote });
      const warning = plainHttpWarning(outcome.instance.platformUrl);
      expect(warning).toContain('artifactory.example.test');
      expect(outcome.notes).toContain(warning);
      expect(outcome.instance.plainHttpWarning).toBe(warning);
      expect((await t.artikey.list())[0]?.plainHttpWarning).toBe(warning);
      const local = await logInAs(t.artikey, fake, DEMO_USER.name);
      expect(local.instance.plainHttpWarning).toBeNull();
      expect(local.notes.join('\n')).not.toContain('plain http');
    } finally {
      for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
      t.cleanup();
      await fake.stop();
    }
  });
});
