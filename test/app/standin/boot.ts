/**
 * The app process of the app tests: installs the Electron stand-in as `require('electron')`,
 * gives the process Electron's command line, runs the built main bundle, then emits the launch
 * events in Electron's order. Bundled by test/app/support/app.ts and forked by it; the fork
 * channel carries the stand-in's records out and the test's commands in.
 *
 * Time is the test's: timers and Date are faked (they still run with the wall clock), so a test
 * can let an hour pass at once ('advance': every timer due meanwhile fires) or make the wall
 * clock jump as it does across sleep ('jump': none fires).
 */
import FakeTimers from '@sinonjs/fake-timers';
import Module, { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM } from '../../support/chromium.js';
import * as electron from './electron.js';
import type { AppMessage, BootOptions, Command, CommandMessage, Recorded } from './protocol.js';

declare const PAGE_ELECTRON_SOURCE: string;

// From the wall clock's now (fake-timers would start at the epoch): tokens, the server's clock and
// the CLI beside the app all live in the present.
const clock = FakeTimers.install({
  now: Date.now(),
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  shouldAdvanceTime: true,
  advanceTimeDelta: 20,
});

const options = JSON.parse(process.env['ARTIKEY_STANDIN'] ?? 'null') as BootOptions | null;
if (!options || !process.send) throw new Error('boot.ts runs only as the app tests fork it');
delete process.env['ARTIKEY_STANDIN'];

const send = (message: AppMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
let sent: Promise<void> = Promise.resolve();
const record = (record: Recorded): void => void (sent = send({ type: 'recorded', record }));

let browser: Promise<BrowserContext> | undefined;
const launchBrowser = async (): Promise<BrowserContext> => {
  const context = await chromium.launchPersistentContext(options.browserProfile, {
    executablePath: CHROMIUM.executablePath,
    headless: true,
    timeout: 0,
    // Electron's file:// pages may load their own module scripts; Chromium's need this flag.
    args: [...CHROMIUM.args, '--allow-file-access-from-files', '--remote-debugging-port=0'],
  });
  const port = (await readFile(join(options.browserProfile, 'DevToolsActivePort'), 'utf8')).split(
    '\n',
  )[0];
  record({ kind: 'browser', cdpUrl: `http://127.0.0.1:${port}` });
  return context;
};

electron.connectHost({
  options,
  record,
  browser: () => (browser ??= launchBrowser()),
  preloadScript: (preloadSource) =>
    [
      '(() => {',
      PAGE_ELECTRON_SOURCE,
      'ArtikeyStandinPage.install((require) => {',
      '  const module = { exports: {} };',
      '  (function (exports, require, module) {',
      preloadSource,
      '  }).call(module.exports, module.exports, require, module);',
      '});',
      '})();',
    ].join('\n'),
  exit: async (code) => {
    record({ kind: 'exit', code });
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
    await sent;
    clock.uninstall();
    process.exit(code);
  },
});

// `require('electron')` from the main bundle (and anything it loads) is the stand-in.
const STANDIN_ID = '\0artikey-electron-standin';
const modules = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};
const resolve = modules._resolveFilename;
modules._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'electron' ? STANDIN_ID : resolve.call(this, request, ...rest);
};
modules._cache[STANDIN_ID] = {
  id: STANDIN_ID,
  filename: STANDIN_ID,
  loaded: true,
  exports: electron,
};

async function perform(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'click-tray-item':
      return electron.Tray.current().clickItem(command.path);
    case 'click-tray-icon':
      return void electron.Tray.current().emit('click', {}, {});
    case 'click-notification':
      return void electron.Notification.byId(command.id).emit('click', {});
    case 'notification-action':
      return void electron.Notification.byId(command.id).emit('action', {}, command.index);
    case 'power':
      return void electron.powerMonitor.emit(command.event);
    case 'open-url':
      return void electron.app.emit('open-url', { preventDefault: () => undefined }, command.url);
    case 'quit':
      return electron.app.quit();
    case 'exit':
      return electron.app.exit(0);
    case 'close-window': {
      const window = electron.BrowserWindow.getAllWindows().find((w) => w.id === command.id);
      if (!window) throw new Error(`no window ${command.id}`);
      return window.close();
    }
    case 'read-clipboard':
      return electron.clipboard.readText();
    case 'write-clipboard':
      return electron.clipboard.writeText(command.text);
    case 'advance':
      return void (await clock.tickAsync(command.ms));
    case 'jump':
      return void clock.setSystemTime(clock.now + command.ms);
  }
}

process.on('message', (message: CommandMessage) => {
  perform(message.command).then(
    (value) => void send({ type: 'reply', id: message.id, ok: true, value: value ?? null }),
    (error: unknown) =>
      void send({ type: 'reply', id: message.id, ok: false, error: String(error) }),
  );
});
// Electron reports what main leaves unhandled and keeps running; the tests require there is none.
const mainError = (error: unknown): void => {
  if (playwrightClientRace(error)) return;
  record({
    kind: 'main-error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
};
/**
 * Playwright's client throws from its own message dispatch when a page closes while the stand-in
 * is still setting it up (its exposeBinding or route answering for an object already gone): a race
 * of the stand-in's browser, not an error main left unhandled. Main never calls Playwright.
 */
const playwrightClientRace = (error: unknown): boolean =>
  error instanceof Error &&
  /^(Cannot find parent object|Object with guid \S+ was not bound in the connection)/.test(
    error.message,
  ) &&
  (error.stack ?? '').includes('playwright-core');
process.on('uncaughtException', mainError);
process.on('unhandledRejection', mainError);
// The test went away: so does the app (and its browser), as when Electron's parent dies.
process.on('disconnect', () => void electron.app.exit(1));

const main = options.main;
// Electron sets this for every app; main reads it only when packaged.
if (options.resourcesPath !== null)
  Object.assign(process, { resourcesPath: options.resourcesPath });
process.argv = [process.execPath, options.appPath, ...options.args];
createRequire(main)(main);
setImmediate(() => electron.app.launch(options.openUrlsBeforeReady));
