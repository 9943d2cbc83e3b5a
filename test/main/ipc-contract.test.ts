import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import {
  channel,
  eventChannel,
  METHOD_NAMES,
  TOOL_NAMES,
  type EventName,
  type Events,
  type MethodName,
  type Methods,
  type Result,
} from '../../electron/ipc/contract.js';
import { createHandlers } from '../../electron/main/api.js';
import { BrowserLogins } from '../../electron/main/browser-login.js';
import { cliShims, installShims, shimStatus } from '../../electron/main/cli-shims.js';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';
import { createDispatcher } from '../../electron/main/dispatcher.js';
import {
  emitterTo,
  serveIpc,
  trustedFrom,
  type InvokeEvent,
} from '../../electron/main/ipc-server.js';
import { launchAtLogin } from '../../electron/main/launch-at-login.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { recordingDialogs } from '../support/dialogs.js';

/**
 * Every IPC method through the real code main runs (ipc-server → dispatcher → handlers → core)
 * with only Electron's ipcMain and event replaced, against the fake Artifactory, the real
 * keychain and real files in a temp HOME.
 */
const RENDERER = '/opt/Artikey/resources/app.asar/dist/renderer/index.html';

describe('the IPC contract served by main, over the real core', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let environment: Environment;
  const registered = new Map<
    string,
    (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>
  >();
  const sent: { channel: string; payload: unknown }[] = [];
  const opened: string[] = [];
  const clipboard = {
    text: '',
    writeText(text: string) {
      this.text = text;
    },
    readText() {
      return this.text;
    },
  };
  const called = new Set<MethodName>();
  const everythingReturned: string[] = [];
  const logs: string[] = [];
  const dialogs = recordingDialogs();

  const mainFrame = { url: `file://${RENDERER}` };
  const ours = {
    mainFrame,
    isDestroyed: () => false,
    send: (name: string, payload: unknown) => void sent.push({ channel: name, payload }),
  };
  const event = { sender: ours, senderFrame: mainFrame } as unknown as InvokeEvent;

  async function call<N extends MethodName>(
    method: N,
    ...args: Methods[N]['args']
  ): Promise<Result<Methods[N]['result']>> {
    const handler = registered.get(channel(method));
    if (!handler) throw new Error(`no handler for ${method}`);
    called.add(method);
    const result = (await handler(event, ...args)) as Result<Methods[N]['result']>;
    everythingReturned.push(JSON.stringify(result));
    return result;
  }
  async function value<N extends MethodName>(
    method: N,
    ...args: Methods[N]['args']
  ): Promise<Methods[N]['result']> {
    const result = await call(method, ...args);
    if (!result.ok) throw new Error(`${method} failed: ${result.code} ${result.message}`);
    return result.value;
  }
  const eventsOf = <E extends EventName>(name: E): Events[E][] =>
    sent.filter((s) => s.channel === eventChannel(name)).map((s) => s.payload as Events[E]);

  let stopServing: () => void;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    t = testArtikey(fake);
    environment = {
      platform: 'linux',
      env: { PATH: `/usr/bin:${t.home}/.local/bin` },
      home: t.home,
    };
    const shims = cliShims(
      environment,
      '/opt/Artikey/artikey',
      '/opt/Artikey/resources/app.asar/dist/cli',
    );
    const emit = emitterTo(() => ours as never);
    const browserLogins = new BrowserLogins(
      t.artikey,
      async (url) => {
        opened.push(url);
        // The person approves the login in their browser.
        const session = new URL(url).searchParams.get('jfClientSession');
        if (session) fake.approveLogin(session, 'alice');
      },
      (prompt) => emit('login.prompt', prompt),
    );
    const handlers = createHandlers({
      artikey: t.artikey,
      environment,
      desktop: {
        info: { name: 'Artikey', version: '1.2.3', packaged: true, platform: 'linux' },
        openInBrowser: async (url) => void opened.push(url),
        launchAtLogin: launchAtLogin(environment, ['/opt/Artikey/artikey'], {
          getLoginItemSettings: () => {
            throw new Error('not used on Linux');
          },
          setLoginItemSettings: () => {
            throw new Error('not used on Linux');
          },
        }),
        cliTools: {
          status: () => shimStatus(environment, shims, true),
          install: async () => (await installShims(shims), shimStatus(environment, shims, true)),
        },
      },
      dialogs,
      clipboard: new ClipboardGuard(clipboard, 200),
      browserLogins,
      nextRefreshes: () => new Map(),
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
    t.artikey.onChanged((change) => emit('instances.changed', change));
    stopServing = serveIpc(
      {
        handle: (name, listener) => void registered.set(name, listener as never),
        removeHandler: (name) => void registered.delete(name),
      },
      createDispatcher(handlers, {
        info: (m) => logs.push(m),
        warn: (m) => logs.push(m),
        error: (m) => logs.push(m),
      }),
      trustedFrom(() => ours as never, RENDERER),
    );
  });
  afterAll(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    await fake.stop();
  });

  it('registers one namespaced handler per method of the contract', () => {
    expect([...registered.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `artikey:${m}`).sort());
  });

  it('refuses calls from another window, a subframe or another page, before the core sees them', async () => {
    const handler = registered.get(channel('login.password'))!;
    const login = { url: fake.url, username: DEMO_USER.name, password: DEMO_USER.password };
    const other = { ...ours, mainFrame: { url: mainFrame.url } };
    const refusals = [
      { sender: other, senderFrame: other.mainFrame },
      { sender: ours, senderFrame: { url: mainFrame.url } },
      { sender: ours, senderFrame: null },
    ];
    for (const bad of refusals)
      expect(await handler(bad as unknown as InvokeEvent, login)).toMatchObject({
        ok: false,
        code: 'untrusted-sender',
      });
    const elsewhere = { url: 'https://evil.example/' };
    const trustsElsewhere = trustedFrom(() => ({ mainFrame: elsewhere }) as never, RENDERER);
    expect(
      trustsElsewhere({ sender: ours, senderFrame: elsewhere } as unknown as InvokeEvent),
    ).toBe(false);
    expect(await t.artikey.list()).toEqual([]);
  });

  it('parses every argument: wrong types, extra arguments and unknown options change nothing', async () => {
    const handler = registered.get(channel('login.password'))!;
    const good = { url: fake.url, username: 'alice', password: 'x' };
    for (const args of [
      [],
      ['not an object'],
      [{ ...good, password: 42 }],
      [{ ...good, isAdmin: true }],
      [good, 'extra'],
      [{ ...good, url: 'x'.repeat(3000) }],
      [{ ...good, lifetimeSeconds: 10 }],
      [Object.assign(Object.create({ polluted: true }) as object, good)],
    ])
      expect(await handler(event, ...args)).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(
      await call('token.reveal', 'x', ...([{ confirmed: true }] as unknown as [])),
    ).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
    expect(await t.artikey.list()).toEqual([]);
    const dispatch = createDispatcher({} as never, {
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    });
    expect(await dispatch('vault.dump', [])).toMatchObject({ ok: false, code: 'unknown-method' });
    expect(await dispatch('toString', [])).toMatchObject({ ok: false, code: 'unknown-method' });
  });

  let id: string;
  it('logs in with a password and reports the instance without any secret; the page hears of it', async () => {
    // A permissive server (token generation via the API with Basic enabled): this is the password channel.
    fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      fake.config.allowBasicAuthTokenCreation = false;
    });
    const { instance, notes } = await value('login.password', {
      url: `${fake.url}/artifactory/`,
      username: DEMO_USER.name,
      password: DEMO_USER.password,
      name: 'Demo',
    });
    id = instance.id;
    expect(instance).toMatchObject({
      name: 'Demo',
      username: 'alice',
      status: 'active',
      tools: [],
      nextRefreshAt: null,
    });
    expect(notes).toEqual([]);
    expect(eventsOf('instances.changed')).toContainEqual({ instanceId: id, reason: 'login' });
    expect(await value('instances.list')).toEqual([instance]);
  });

  it('inspects, renames, refreshes and opens the instance in the browser', async () => {
    const details = await value('instances.inspect', id);
    expect(details).toMatchObject({
      id,
      serverVersion: expect.any(String),
      revocation: { status: 'active' },
    });
    expect((await value('instances.rename', id, 'Acme')).name).toBe('Acme');
    const before = (await t.vault.read(id))?.accessToken;
    fake.clock.advance(60);
    const refreshed = await value('instances.refresh', id);
    expect(refreshed.token.tokenId).not.toBe(details.token.tokenId);
    expect((await t.vault.read(id))?.accessToken).not.toBe(before);
    expect(await value('instances.openInBrowser', id)).toBeNull();
    expect(opened.at(-1)).toBe(`${fake.url}/`);
  });

  it('keeps error codes across the boundary', async () => {
    expect(await call('instances.refresh', 'nowhere.example')).toMatchObject({
      ok: false,
      code: 'instance-not-found',
      message: expect.stringContaining('nowhere.example'),
    });
    expect(
      await call('login.password', { url: 'ftp://x', username: 'a', password: 'b' }),
    ).toMatchObject({ ok: false, code: 'invalid-address' });
    expect(await call('tools.configure', id, { tool: 'npm' })).toMatchObject({
      ok: false,
      code: 'invalid-option',
    });
    // The page cannot choose the file main writes.
    const elsewhere = { tool: 'npm', repo: 'npm-virtual', file: join(t.home, '.bashrc') } as never;
    expect(await call('tools.configure', id, elsewhere)).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
    expect(existsSync(join(t.home, '.bashrc'))).toBe(false);
  });

  it('lists a tool\'s repositories with the URL around the key, remembers the one configured, and refuses other tools', async () => {
    const listed = await value('tools.repositories', id, 'npm');
    expect(listed).toMatchObject({
      listed: true,
      remembered: null,
      use: 'written',
      url: { before: `${fake.url}/artifactory/api/npm/`, after: '/' },
    });
    expect(listed.listed && listed.repositories.map((r) => `${r.key}:${r.type}`)).toEqual(['npm-virtual:virtual', 'npm-remote:remote', 'npm-local:local']);
    await value('tools.configure', id, { tool: 'maven', mirror: 'libs-release' });
    expect(await value('tools.repositories', id, 'maven')).toMatchObject({ remembered: 'libs-release', url: { before: `${fake.url}/artifactory/`, after: '/' } });
    await value('tools.unconfigure', id, { kind: 'maven' });
    // Docker's and Gradle's files do not hold the repository: the page is told how to use it instead.
    expect(await value('tools.repositories', id, 'docker')).toMatchObject({ use: 'pull', url: { before: `docker pull ${fake.host}/`, after: '/<image>:<tag>' } });
    expect(await value('tools.repositories', id, 'gradle')).toMatchObject({ use: 'build-script', url: { before: 'url "${artifactory_contextUrl}/', after: '"' } });
    expect(await call('tools.repositories', id, 'netrc' as 'npm')).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('sets up npm and Docker in the temp HOME, lists and removes them', async () => {
    const npm = await value('tools.configure', id, { tool: 'npm', repo: 'npm-virtual' });
    expect(npm).toMatchObject({
      changed: true,
      tool: { kind: 'npm', holdsToken: true, path: join(t.home, '.npmrc') },
    });
    const token = (await t.vault.read(id))?.accessToken ?? 'missing';
    expect(readFileSync(join(t.home, '.npmrc'), 'utf8')).toContain(token);
    const docker = await value('tools.dockerLogin', id);
    expect(docker.tool).toMatchObject({ kind: 'docker-helper', holdsToken: false });
    expect(JSON.parse(readFileSync(join(t.home, '.docker', 'config.json'), 'utf8'))).toEqual({
      credHelpers: { [fake.host]: 'artikey' },
    });
    expect((await value('instances.list'))[0]?.tools.map((tool) => tool.kind)).toEqual([
      'npm',
      'docker-helper',
    ]);
    const removed = await value('tools.unconfigure', id, { kind: 'npm' });
    expect(removed.removed.map((tool) => tool.kind)).toEqual(['npm']);
    expect(existsSync(join(t.home, '.npmrc'))).toBe(false);
  });

  it('sets up several tools at once: detects them, previews every file without the token, applies the plan once', async () => {
    const proposal = await value('tools.detect', id);
    expect(proposal.tools.map((tool) => tool.tool)).toEqual([...TOOL_NAMES]);
    expect(proposal.tools.find((tool) => tool.tool === 'pip')).toMatchObject({
      repository: 'required',
    });
    const plan = await value('tools.prepareSetup', id, {
      choices: [{ tool: 'pip', repo: 'pypi-virtual' }, { tool: 'netrc' }],
    });
    expect(plan.items.map((item) => item.tool)).toEqual(['pip', 'netrc']);
    expect(JSON.stringify(plan)).toContain('<token>');
    expect(existsSync(join(t.home, '.netrc'))).toBe(false);
    const done = await value('tools.applySetup', { planId: plan.id });
    expect(done.written.map((tool) => tool.kind)).toEqual(['pip', 'netrc']);
    // A plan is applied once.
    expect(await call('tools.applySetup', { planId: plan.id })).toMatchObject({
      ok: false,
      code: 'invalid-option',
    });
    for (const kind of ['pip', 'netrc'] as const) await value('tools.unconfigure', id, { kind });
  });

  it('lists the server’s tokens and revokes one by id; bad arguments change nothing', async () => {
    const other = fake.issueToken({ username: 'alice', expiresIn: 30 * 86_400, description: 'CI' });
    const tokens = await value('instances.tokens', id);
    const current = (await value('instances.list'))[0]?.token.tokenId;
    expect(tokens.filter((token) => token.current).map((token) => token.tokenId)).toEqual([
      current,
    ]);
    expect(tokens.find((token) => token.tokenId === other.id)).toMatchObject({
      description: 'CI',
      current: false,
      refreshable: false,
    });
    for (const bad of [{ tokenId: '' }, { tokenId: 7 }, { tokenId: 'x', all: true }])
      expect(await call('instances.revokeToken', id, bad as never)).toMatchObject({
        ok: false,
        code: 'invalid-argument',
      });
    expect(await call('instances.tokens', 'nowhere.example')).toMatchObject({
      ok: false,
      code: 'instance-not-found',
    });
    expect(fake.tokens.byId(other.id)?.revoked).toBe(false);
    expect(await value('instances.revokeToken', id, { tokenId: other.id })).toEqual({
      revoked: true,
      tokenId: other.id,
    });
    expect(fake.tokens.byId(other.id)?.revoked).toBe(true);
    expect((await value('instances.tokens', id)).map((token) => token.tokenId)).not.toContain(
      other.id,
    );
  });

  it('previews a tool change line by line without writing the file or showing the token', async () => {
    const npmrc = join(t.home, '.npmrc');
    expect(existsSync(npmrc)).toBe(false);
    const preview = await value('tools.preview', id, { tool: 'npm', repo: 'npm-virtual' });
    expect(preview).toEqual({
      kind: 'npm',
      path: npmrc,
      description: `npm: ${fake.url}/artifactory/api/npm/npm-virtual/ in ${npmrc}`,
      fileExists: false,
      changes: [
        {
          line: 1,
          before: null,
          after: `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=<token>`,
        },
      ],
    });
    expect(existsSync(npmrc)).toBe(false);
    expect((await value('instances.list'))[0]?.tools.map((tool) => tool.kind)).toEqual([
      'docker-helper',
    ]);
    expect(await call('tools.preview', id, { tool: 'npm' })).toMatchObject({
      ok: false,
      code: 'invalid-option',
    });
    expect(await call('tools.preview', id, { tool: 'bash' as 'npm' })).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
  });

  it('sets the connection after checking it and asking the person, and reports it with the details', async () => {
    const state = readFileSync(t.stateFile, 'utf8');
    dialogs.answer = true;
    for (const bad of [
      { proxy: 'socks5://proxy.example:1080' },
      { proxy: 'http://proxy.example:3128/path' },
    ])
      expect(await call('instances.setConnection', id, bad)).toMatchObject({
        ok: false,
        code: 'invalid-option',
      });
    for (const pick of ['relative/ca.pem', join(t.home, 'missing.pem')]) {
      dialogs.pick = pick;
      expect(await call('instances.pickCaFile', id)).toMatchObject({
        ok: false,
        code: 'invalid-option',
      });
    }
    expect(dialogs.asked).toEqual([]);
    for (const bad of [
      { caFile: '/etc/ssl/certs/ca.pem' },
      { proxy: 3128 },
      { clearCaFile: false },
    ])
      expect(await call('instances.setConnection', id, bad as never)).toMatchObject({
        ok: false,
        code: 'invalid-argument',
      });
    expect(readFileSync(t.stateFile, 'utf8')).toBe(state);
    const details = await value('instances.setConnection', id, { proxy: null, clearCaFile: true });
    expect(dialogs.asked.map((q) => q.message)).toEqual([
      `Stop using the proxy for ${new URL(fake.url).host}?`,
      `Stop trusting the CA bundle for ${new URL(fake.url).host}?`,
    ]);
    expect(details).toMatchObject({
      id,
      connection: { caFile: null, proxy: null },
      serverVersion: expect.any(String),
    });
    expect((await value('instances.inspect', id)).connection).toEqual({
      caFile: null,
      proxy: null,
    });
    expect(eventsOf('instances.changed')).toContainEqual({ instanceId: id, reason: 'connection' });
  });

  it('reads the activity log, newest first and bounded', async () => {
    const activity = await value('activity.list', {});
    expect(activity[0]).toMatchObject({ kind: 'revoked', instanceId: id, instanceName: 'Acme' });
    expect(new Set(activity.map((entry) => entry.kind))).toEqual(
      new Set(['login', 'rename', 'refresh', 'tools', 'revoked']),
    );
    expect(await value('activity.list', { limit: 2 })).toEqual(activity.slice(0, 2));
    for (const bad of [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { since: 0 }])
      expect(await call('activity.list', bad as never)).toMatchObject({
        ok: false,
        code: 'invalid-argument',
      });
  });

  it('scans for plain-text credentials and plans their migration without returning a secret', async () => {
    const apiKey = fake.createApiKey('alice');
    mkdirSync(join(t.home, '.m2'), { recursive: true });
    writeFileSync(
      join(t.home, '.netrc'),
      `machine ${new URL(fake.url).hostname} login alice password ${apiKey}\n`,
    );
    const scan = await value('credentials.scan', { check: true });
    expect(scan.found).toContainEqual(
      expect.objectContaining({ tool: 'netrc', kind: 'api-key', instanceId: id, works: 'yes' }),
    );
    const plan = await value('credentials.migrate', id, { apply: false });
    expect(plan.steps).toContainEqual(
      expect.objectContaining({ action: 'replace', tool: 'netrc' }),
    );
    expect(plan.applied).toEqual([]);
    const applied = await value('credentials.migrate', id, { apply: true });
    expect(applied.applied.length).toBeGreaterThan(0);
    expect(readFileSync(join(t.home, '.netrc'), 'utf8')).not.toContain(apiKey);
    expect(scan.found).toContainEqual(
      expect.objectContaining({ tool: 'netrc', kind: 'api-key', managed: false, stale: false }),
    );
    // What the migration wrote is Artikey's own now, and the window is told so.
    const after = await value('credentials.scan', { check: false });
    expect(after.found).toContainEqual(
      expect.objectContaining({ tool: 'netrc', instanceId: id, managed: true, stale: false }),
    );
    expect(JSON.stringify([scan, plan, applied, after])).not.toContain(apiKey);
  });

  it('lists the migration’s backup with what it holds, and deletes it only after main’s own dialog', async () => {
    const netrc = join(t.home, '.netrc');
    const listed = await value('backups.list', { check: true });
    const backup = listed.find((b) => b.of === netrc);
    expect(backup).toMatchObject({
      credentials: [expect.objectContaining({ kind: 'api-key', live: 'live' })],
      holdsLiveSecret: true,
    });
    const path = backup!.path;
    expect(await call('backups.delete', { path: netrc })).toMatchObject({
      ok: false,
      code: 'not-a-backup',
    });
    dialogs.answers = [false];
    expect(await call('backups.delete', { path })).toMatchObject({ ok: false, code: 'declined' });
    expect(existsSync(path)).toBe(true);
    expect(dialogs.asked.at(-1)?.message).toBe(`Delete this backup of ${netrc}?`);
    dialogs.answers = [true];
    expect(await value('backups.delete', { path })).toEqual({ deleted: path });
    expect(existsSync(path)).toBe(false);

    // Letting Artikey delete dead backups by itself is the person's yes, asked by main.
    dialogs.answers = [false];
    expect(await call('settings.update', { deleteDeadBackups: true })).toMatchObject({
      ok: false,
      code: 'declined',
    });
    expect((await value('settings.get')).deleteDeadBackups).toBe(false);
    dialogs.answers = [true];
    expect((await value('settings.update', { deleteDeadBackups: true })).deleteDeadBackups).toBe(
      true,
    );
    expect(dialogs.asked.at(-1)?.message).toBe('Let Artikey delete backups by itself?');
    expect((await value('settings.update', { deleteDeadBackups: false })).deleteDeadBackups).toBe(
      false,
    );
  });

  it('copies the token to the clipboard and clears it, unless the person copied something else', async () => {
    expect(await value('token.copy', id)).toEqual({ clearsInSeconds: 0, concealed: false });
    const token = (await t.vault.read(id))?.accessToken;
    expect(clipboard.text).toBe(token);
    await expect.poll(() => clipboard.text, { timeout: 3000 }).toBe('');
    await value('token.copy', id);
    clipboard.writeText('my own text');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(clipboard.text).toBe('my own text');
  });

  it('reveals the token only when the person confirmed in main’s dialog', async () => {
    dialogs.answer = true;
    const { token } = await value('token.reveal', id);
    expect(token).toBe((await t.vault.read(id))?.accessToken);
    everythingReturned.pop(); // the one deliberate secret, excluded from the leak check below
  });

  it('reads and changes settings; start-at-login writes the XDG autostart entry', async () => {
    expect(await value('settings.get')).toMatchObject({
      launchAtLogin: false,
      warnBeforeSeconds: [604_800, 86_400, 3600],
    });
    const updated = await value('settings.update', {
      launchAtLogin: true,
      warnBeforeSeconds: [3600, 7200, 3600],
    });
    expect(updated).toMatchObject({ launchAtLogin: true, warnBeforeSeconds: [7200, 3600] });
    expect(readFileSync(join(t.home, '.config', 'autostart', 'artikey.desktop'), 'utf8')).toContain(
      'Exec=/opt/Artikey/artikey --hidden',
    );
    expect(await call('settings.update', { warnBeforeSeconds: [1] })).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
    expect(await value('settings.update', { launchAtLogin: false })).toMatchObject({
      launchAtLogin: false,
      warnBeforeSeconds: [7200, 3600],
    });
    expect(existsSync(join(t.home, '.config', 'autostart', 'artikey.desktop'))).toBe(false);
  });

  it('reads and changes how often tokens are replaced; a bad interval changes nothing', async () => {
    expect(await value('settings.get')).toMatchObject({ rotationIntervalSeconds: 14_400 });
    expect(await value('settings.update', { rotationIntervalSeconds: 3600 })).toMatchObject({
      rotationIntervalSeconds: 3600,
    });
    for (const bad of [59, 1.5, '3600', 366 * 86_400] as number[])
      expect(
        await call('settings.update', { rotationIntervalSeconds: bad, warnBeforeSeconds: [600] }),
      ).toMatchObject({
        ok: false,
        code: 'invalid-argument',
        message: expect.stringMatching(/rotationIntervalSeconds/),
      });
    expect(await value('settings.get')).toMatchObject({
      rotationIntervalSeconds: 3600,
      warnBeforeSeconds: [7200, 3600],
    });
    // Not shorter than the lifetime is allowed: the token is then replaced only before it expires.
    expect(
      await value('settings.update', {
        rotationIntervalSeconds: 86_400,
        defaultTokenLifetimeSeconds: 43_200,
      }),
    ).toMatchObject({ rotationIntervalSeconds: 86_400, defaultTokenLifetimeSeconds: 43_200 });
  });

  it('installs the command-line tools into ~/.local/bin', async () => {
    expect(await value('cliTools.status')).toMatchObject({
      available: true,
      installed: false,
      onPath: true,
      commands: ['artikey', 'docker-credential-artikey'],
    });
    expect(await value('cliTools.install')).toMatchObject({ installed: true });
    expect(readFileSync(join(t.home, '.local', 'bin', 'artikey'), 'utf8')).toContain(
      'ELECTRON_RUN_AS_NODE=1',
    );
  });

  it('reports app facts and pending notices', async () => {
    expect(await value('app.info')).toMatchObject({
      name: 'Artikey',
      version: '1.2.3',
      packaged: true,
      keychain: expect.any(String),
    });
    expect(await value('notices.list')).toEqual([]);
  });

  it('logs in with a pasted token, an API key (revoking it) and through the browser', async () => {
    const pasted = fake.issueToken({ username: 'bob', expiresIn: 86_400 }).jwt;
    // Another user than the instance's only when the person confirmed it.
    expect(await call('login.token', { url: fake.url, token: pasted })).toMatchObject({
      ok: false,
      code: 'user-mismatch',
      message: expect.stringContaining('logged in as alice'),
    });
    const viaToken = await value('login.token', {
      url: fake.url,
      token: pasted,
      replaceUser: true,
    });
    expect(viaToken.instance).toMatchObject({ id, loginMethod: 'access-token', username: 'bob' });
    const apiKey = fake.createApiKey('alice');
    const viaKey = await value('login.apiKey', {
      url: fake.url,
      apiKey,
      revokeApiKey: true,
      replaceUser: true,
    });
    expect(viaKey.notes.join(' ')).toContain('revoked');
    const viaBrowser = await value('login.browser', { url: fake.url });
    expect(viaBrowser.instance).toMatchObject({ loginMethod: 'browser', username: 'alice' });
    const prompt = eventsOf('login.prompt').at(-1);
    expect(prompt?.code).toHaveLength(4);
    expect(opened.at(-1)).toBe(prompt?.url);
    expect(new URL(prompt!.url).host).toBe(fake.host);
    expect(await value('login.cancel')).toEqual({ cancelled: false });
    // A password login worked here: nothing to steer away from.
    expect(await value('login.advice', fake.url)).toEqual({ preferBrowser: false, reason: null });
    expect(JSON.stringify(everythingReturned)).not.toContain(pasted);
    expect(JSON.stringify(everythingReturned)).not.toContain(apiKey);
  });

  it('logs out, removing every tool entry, and forgets the instance; bad options change nothing', async () => {
    expect((await value('instances.list')).map((i) => [i.id, i.logoutIncomplete])).toEqual([
      [id, false],
    ]);
    for (const options of [
      { keepServerToken: 'yes' },
      { keepServerToken: true, force: true },
      'keep',
    ])
      expect(await call('instances.logout', id, options as never)).toMatchObject({
        ok: false,
        code: 'invalid-argument',
      });
    expect((await value('instances.list')).map((i) => i.id)).toEqual([id]);
    const out = await value('instances.logout', id);
    expect(out.toolsRemoved.map((tool) => tool.kind)).toContain('docker-helper');
    expect(await value('instances.list')).toEqual([]);
    expect(eventsOf('instances.changed')).toContainEqual({ instanceId: id, reason: 'logout' });
  });

  it('logs in to a server not logged in to for its migration, through the browser when the server refuses the API key', async () => {
    const apiKey = fake.createApiKey('alice');
    writeFileSync(join(t.home, '.npmrc'), `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${apiKey}\n`);
    fake.config.apiKeysEnabled = false;
    try {
      const login = await value('credentials.loginToMigrate', { url: fake.url });
      expect(login).toMatchObject({ via: 'browser', instance: { username: 'alice' } });
      expect(login.notes.join('\n')).toMatch(/refused the API key/);
      const applied = await value('credentials.migrate', login.instance.id, { apply: true });
      expect(applied.applied).toHaveLength(1);
      expect(readFileSync(join(t.home, '.npmrc'), 'utf8')).not.toContain(apiKey);
      await value('instances.logout', login.instance.id);
    } finally {
      fake.config.apiKeysEnabled = true;
    }
  });

  it('exercised every method, and no value or event carried a secret', () => {
    expect([...called].sort()).toEqual([...METHOD_NAMES].sort());
    const everything = JSON.stringify([everythingReturned, sent, logs]);
    expect(everything).not.toContain(DEMO_USER.password);
    for (const token of fake.tokens.all()) {
      expect(everything).not.toContain(token.jwt);
      if (token.refreshToken) expect(everything).not.toContain(token.refreshToken);
    }
    stopServing();
    expect(registered.size).toBe(0);
  });
});
