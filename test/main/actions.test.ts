import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActions } from '../../electron/main/actions.js';
import { createHandlers } from '../../electron/main/api.js';
import { BrowserLogins } from '../../electron/main/browser-login.js';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { recordingDialogs } from '../support/dialogs.js';

/** Tray items and notification buttons, run through the same handlers as the window. */
describe('tray and notification actions, over the real core', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  const told: [string, string][] = [];
  const opened: string[] = [];
  const clipboard = {
    text: '',
    writeText(s: string) {
      this.text = s;
    },
    readText() {
      return this.text;
    },
  };
  let shown = 0;
  let loginItem = false;
  let quit = 0;
  let perform: ReturnType<typeof createActions>;
  let id: string;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    t = testArtikey(fake);
    const environment = { platform: 'linux' as const, env: {}, home: t.home };
    const browserLogins = new BrowserLogins(
      t.artikey,
      async (url) => {
        opened.push(url);
        fake.approveLogin(new URL(url).searchParams.get('jfClientSession') ?? '', 'alice');
      },
      () => undefined,
    );
    const unused = () => Promise.reject(new Error('not used'));
    const handlers = createHandlers({
      artikey: t.artikey,
      environment,
      desktop: {
        info: { name: 'Artikey', version: '0', packaged: false, platform: 'linux' },
        openInBrowser: async (url) => void opened.push(url),
        launchAtLogin: {
          get: () => Promise.resolve(loginItem),
          set: (enabled) => Promise.resolve(void (loginItem = enabled)),
        },
        cliTools: {
          status: unused,
          install: () =>
            Promise.resolve({
              available: true,
              folder: '/home/a/.local/bin',
              commands: [],
              installed: true,
              onPath: false,
            }),
        },
      },
      dialogs: recordingDialogs(),
      clipboard: new ClipboardGuard(clipboard),
      browserLogins,
      nextRefreshes: () => new Map(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    perform = createActions({
      artikey: t.artikey,
      handlers,
      browserLogins,
      showWindow: () => void shown++,
      quit: () => void quit++,
      tell: (title, body) => void told.push([title, body]),
    });
    id = (await logInAs(t.artikey, fake, DEMO_USER.name)).instance.id;
  });
  afterAll(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    new ClipboardGuard(clipboard).clearNow();
    t.cleanup();
    await fake.stop();
  });

  it('"Docker login" points Docker at Artikey for the instance and says so', async () => {
    await perform({ kind: 'docker-login', instanceId: id });
    expect(JSON.parse(readFileSync(join(t.home, '.docker', 'config.json'), 'utf8'))).toEqual({
      credHelpers: { [fake.host]: 'artikey' },
    });
    expect(told.at(-1)?.[0]).toBe('Docker is set up');
  });

  it('"Refresh now" gets a new token; "Copy token" puts the current one on the clipboard', async () => {
    const before = (await t.vault.read(id))?.accessToken;
    fake.clock.advance(30);
    await perform({ kind: 'refresh', instanceId: id });
    const after = (await t.vault.read(id))?.accessToken;
    expect(after).not.toBe(before);
    await perform({ kind: 'copy-token', instanceId: id });
    expect(clipboard.text).toBe(after);
    expect(told.at(-1)).toEqual(['Token copied', 'The clipboard is cleared in 30 seconds.']);
  });

  it('"Log in again" shows the window and runs the browser login for that instance', async () => {
    const shownBefore = shown;
    await perform({ kind: 'log-in-again', instanceId: id });
    expect(shown).toBe(shownBefore + 1);
    expect(new URL(opened.at(-1) ?? '').host).toBe(fake.host);
    expect((await t.artikey.instance(id)).loginMethod).toBe('browser');
    expect(told.at(-1)?.[0]).toBe('Logged in');
  });

  it('"Open in browser", "Open Artikey" and "Quit" do just that', async () => {
    await perform({ kind: 'open-instance', instanceId: id });
    expect(opened.at(-1)).toBe(`${fake.url}/`);
    await perform({ kind: 'open-app' });
    await perform({ kind: 'quit' });
    expect(quit).toBe(1);
  });

  it('tray switches: start at login, and installing the command-line tools', async () => {
    await perform({ kind: 'launch-at-login', enabled: true });
    expect(loginItem).toBe(true);
    expect(told.at(-1)?.[0]).toBe('Artikey starts at login');
    await perform({ kind: 'launch-at-login', enabled: false });
    expect(loginItem).toBe(false);
    await perform({ kind: 'install-cli-tools' });
    expect(told.at(-1)).toEqual([
      'Command-line tools installed',
      'artikey and docker-credential-artikey are in /home/a/.local/bin; add that folder to your PATH.',
    ]);
  });

  it('a failure becomes a message naming the instance, never an unhandled rejection', async () => {
    await perform({ kind: 'refresh', instanceId: 'nowhere.example' });
    expect(told.at(-1)?.[0]).toBe('That did not work (nowhere.example)');
    expect(told.at(-1)?.[1]).toContain('nowhere.example');
  });
});
