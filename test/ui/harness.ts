/**
 * The real renderer build in Debian's Chromium, with `window.artikey` bound to the real Artikey
 * core in this Node process: the page calls the contract's own bridge (bundled from
 * electron/ipc/contract.ts), each call crosses a Playwright binding (no HTTP) into the same
 * dispatcher and handlers main serves, and main's events are pushed back into the page.
 * Depends only on `window.artikey` and dist/renderer, never on the renderer's markup.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBackground, type Background } from '../../electron/core/background.js';
import type { Notice } from '../../electron/core/notices.js';
import type { Environment } from '../../electron/core/paths.js';
import { Vault, type SecretBackend } from '../../electron/core/vault.js';
import {
  eventChannel,
  isMethodName,
  type EventName,
  type Events,
  type MethodName,
  type Result,
} from '../../electron/ipc/contract.js';
import { createHandlers, type Desktop } from '../../electron/main/api.js';
import { BrowserLogins } from '../../electron/main/browser-login.js';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';
import { createDispatcher } from '../../electron/main/dispatcher.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { recordingDialogs, type RecordingDialogs } from '../support/dialogs.js';
import { ensureBuilt, root } from '../support/built.js';
import { CHROMIUM } from '../support/chromium.js';
import { serveFolder } from '../support/static-server.js';


export const RENDERER_DIR = `${root}dist/renderer`;
export const SCREENSHOT_DIR = `${root}test-results/ui`;

export interface UiOptions {
  colorScheme?: 'light' | 'dark';
  /** A fake to log in to; by default the harness starts (and stops) one on a frozen clock. */
  fake?: FakeArtifactory;
  /** Show the window (needs DISPLAY or WAYLAND_DISPLAY). */
  headed?: boolean;
  viewport?: { width: number; height: number };
  /** Run the background refresh engine, as the app does (off by default: tests drive time). */
  background?: boolean;
  /** Use this keychain instead of the real one under a throwaway service name. */
  keychain?: SecretBackend;
  /** The PATH main looks for programs on ("Set up my tools"); the test process's by default. */
  path?: string;
  /** How long a copied token stays on the fake clipboard (30 s, as in the app). */
  clipboardClearMs?: number;
  /** Let Playwright close the browser and exit on SIGINT/SIGTERM/SIGHUP (default true). */
  handleSignals?: boolean;
  /** Also called for every URL main opens in the system browser (the preview opens a tab). */
  onOpenInBrowser?: (url: string) => void | Promise<void>;
  /** Call `page.goto` before returning (default true); false to add listeners first, then `open()`. */
  open?: boolean;
}

export interface IpcCall {
  method: string;
  /** As the page sent them: may hold secrets the test typed (passwords, tokens). */
  args: unknown[];
  result: Result<unknown>;
}

export interface SentEvent<E extends EventName = EventName> {
  event: E;
  payload: Events[E];
}

/** The clipboard main writes to: what ClipboardGuard put there and when it cleared it. */
export interface FakeClipboard {
  text: string;
  /** Every write, in order ('' when the guard cleared it). */
  writes: string[];
  writeText(text: string): void;
  readText(): string;
}

export interface UiSession {
  page: Page;
  browser: Browser;
  context: BrowserContext;
  fake: FakeArtifactory;
  artikey: TestArtikey;
  home: string;
  /** Where the renderer is served (loopback static files; the bridge is not HTTP). */
  url: string;
  /** Every IPC call the page made, with the result it got. */
  calls: IpcCall[];
  /** Only what went back to the page: each call's method and result, without its arguments. */
  results: { method: string; result: Result<unknown> }[];
  /** Every event main sent to the page. */
  events: SentEvent[];
  /** Console errors, page errors and unexpected errors in main. */
  errors: string[];
  /** Notices the background engine showed (with `background: true`). */
  notices: Notice[];
  /** What `openInBrowser` received (login pages, instance pages). */
  openedUrls: string[];
  clipboard: FakeClipboard;
  /** Main's native dialogs: what they asked, and how the person answers (yes by default). */
  dialogs: RecordingDialogs;
  launchAtLogin: { value: boolean | null };
  background: Background | undefined;
  /** Loads the renderer (again). */
  open(): Promise<void>;
  /** Pushes a main → page event, as main's emitter does. Resolves once the page has it. */
  emit<E extends EventName>(event: E, payload: Events[E]): Promise<void>;
  /** The first event named `name` (matching `predicate`) at index `from` (default 0) or later. */
  waitForEvent<E extends EventName>(
    name: E,
    predicate?: (payload: Events[E]) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<Events[E]>;
  /** The first call of `method` at index `from` (default 0) or later, once it has returned. */
  waitForCall(
    method: MethodName,
    predicate?: (call: IpcCall) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<IpcCall>;
  /**
   * What the person does in the browser: waits for the next login page Artikey opened, signs in
   * there (the fake's own page in a second tab, or a form POST) with the code from `login.prompt`.
   */
  approveBrowserLogin(options?: {
    username?: string;
    password?: string;
    via?: 'page' | 'form';
    timeoutMs?: number;
  }): Promise<{ session: string; code: string }>;
  /** Everything that reached the page (results and events) as one string, for secret canaries. */
  pageReceived(): string;
  /** Saves test-results/ui/<name>.png and returns its path. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

let pageSide: Promise<string> | undefined;

/**
 * The page side, bundled from the contract: `window.artikey` is `createBridge` over a transport
 * whose invoke is the binding and whose events arrive through `__artikeyDeliver`. Events that
 * arrive before anyone listens on their channel wait for the first listener.
 */
export function pageBridgeScript(): Promise<string> {
  pageSide ??= build({
    stdin: {
      contents: `
        import { createBridge } from ${JSON.stringify(`${root}electron/ipc/contract.ts`)};
        type Listener = (payload: unknown) => void;
        const page = globalThis as unknown as {
          __artikeyInvoke(channel: string, args: unknown[]): Promise<unknown>;
          __artikeyDeliver(channel: string, payload: unknown): boolean;
        };
        const listeners = new Map<string, Set<Listener>>();
        const waiting = new Map<string, unknown[]>();
        const call = (listener: Listener, payload: unknown): void => {
          try {
            listener(payload);
          } catch (error) {
            queueMicrotask(() => {
              throw error;
            });
          }
        };
        Object.defineProperty(page, '__artikeyDeliver', {
          value: (channel: string, payload: unknown): boolean => {
            const set = listeners.get(channel);
            if (!set || set.size === 0) {
              let queue = waiting.get(channel);
              if (!queue) waiting.set(channel, (queue = []));
              queue.push(payload);
              return false;
            }
            for (const listener of [...set]) call(listener, payload);
            return true;
          },
        });
        const bridge = createBridge({
          invoke: (channel, args) => page.__artikeyInvoke(channel, args),
          subscribe: (channel, listener) => {
            let set = listeners.get(channel);
            if (!set) listeners.set(channel, (set = new Set()));
            // Each subscription is its own entry, as with ipcRenderer.on.
            const entry: Listener = (payload) => listener(payload);
            set.add(entry);
            const early = waiting.get(channel);
            if (early) {
              waiting.delete(channel);
              setTimeout(() => early.forEach((payload) => call(entry, payload)), 0);
            }
            return () => void set.delete(entry);
          },
        }) as unknown as Record<string, unknown>;
        // Like contextBridge: the page gets a frozen copy it cannot change or extend.
        for (const value of Object.values(bridge))
          if (typeof value === 'object' && value !== null) Object.freeze(value);
        Object.defineProperty(page, 'artikey', { value: Object.freeze(bridge), enumerable: true });
      `,
      loader: 'ts',
      resolveDir: root,
      sourcefile: 'artikey-ui-bridge.ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((out) => {
    const file = out.outputFiles[0];
    if (!file) throw new Error('esbuild produced no page bridge');
    return file.text;
  });
  return pageSide;
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;

function fakeClipboard(): FakeClipboard {
  return {
    text: '',
    writes: [],
    writeText(text) {
      this.text = text;
      this.writes.push(text);
    },
    readText() {
      return this.text;
    },
  };
}

/** Waits for the first item from `from` on that matches, re-checking whenever `poke()` runs. */
class Waiters {
  #waiting = new Set<() => void>();
  poke(): void {
    for (const check of [...this.#waiting]) check();
  }
  until<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiting.delete(check);
      };
      this.#waiting.add(check);
      check();
    });
  }
  clear(): void {
    this.#waiting.clear();
  }
}

export async function startUi(options: UiOptions = {}): Promise<UiSession> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Keep stopping the rest.
      }
    }
  };
  try {
    return await start(options, cleanups, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function start(
  options: UiOptions,
  cleanups: (() => Promise<void> | void)[],
  cleanup: () => Promise<void>,
): Promise<UiSession> {
  ensureBuilt();
  const script = await pageBridgeScript();

  const fake =
    options.fake ?? (await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) }));
  if (!options.fake) cleanups.push(() => fake.stop());

  const vault = options.keychain ? new Vault(options.keychain) : undefined;
  const t0 = testArtikey(fake, vault ? { vault } : {});
  const t: TestArtikey = vault ? { ...t0, vault } : t0;
  cleanups.push(() => t.cleanup());
  cleanups.push(async () => {
    await t.artikey.settle();
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
  });

  const calls: IpcCall[] = [];
  const results: UiSession['results'] = [];
  const events: SentEvent[] = [];
  const errors: string[] = [];
  const notices: Notice[] = [];
  const openedUrls: string[] = [];
  const clipboard = fakeClipboard();
  const dialogs = recordingDialogs();
  dialogs.answer = true;
  const launchAtLogin = { value: false as boolean | null };
  const waiters = new Waiters();
  cleanups.push(() => waiters.clear());

  const mainLog = (level: 'info' | 'warn' | 'error') => (message: string) => {
    t.logs.push(`[main ${level}] ${message}`);
    if (level === 'error') errors.push(`main: ${message}`);
  };
  const logger = { info: mainLog('info'), warn: mainLog('warn'), error: mainLog('error') };

  const environment: Environment = {
    platform: process.platform,
    env: { HOME: t.home, PATH: options.path ?? process.env['PATH'] },
    home: t.home,
  };
  const openInBrowser = async (url: string): Promise<void> => {
    openedUrls.push(url);
    waiters.poke();
    await options.onOpenInBrowser?.(url);
  };
  const desktop: Desktop = {
    info: {
      name: 'Artikey',
      version: packageVersion(),
      packaged: false,
      platform: process.platform,
    },
    openInBrowser,
    launchAtLogin: {
      get: async () => launchAtLogin.value,
      set: async (enabled) => void (launchAtLogin.value = enabled),
    },
    cliTools: {
      status: async () => ({
        available: false,
        folder: `${t.home}/.local/bin`,
        commands: ['artikey', 'docker-credential-artikey'],
        installed: false,
        onPath: false,
      }),
      install: async () => {
        throw Object.assign(new Error('Install the packaged app to get the command-line tools.'), {
          code: 'not-supported',
        });
      },
    },
  };

  // Events go to the page in order, once it is open (before that there is no window to send
  // them to, as in the app); it may be loading or reloading.
  const target: { page?: Page } = {};
  let opened = false;
  let loaded: Promise<void> = Promise.resolve();
  let delivery: Promise<void> = Promise.resolve();
  let closed = false;
  const deliver = async (name: string, payload: unknown): Promise<void> => {
    for (let attempt = 0; attempt < 3 && !closed && opened; attempt++) {
      await loaded;
      const page = target.page;
      if (closed || !page || page.isClosed()) return;
      try {
        await page.evaluate(
          ([channelName, data]) =>
            (
              globalThis as unknown as { __artikeyDeliver(c: string, p: unknown): boolean }
            ).__artikeyDeliver(channelName, data),
          [name, payload] as const,
        );
        return;
      } catch (error) {
        if (closed || page.isClosed()) return;
        // A navigation destroyed the context: deliver to the page that replaces it.
        await page.waitForLoadState('domcontentloaded').catch(() => undefined);
        if (attempt === 2) errors.push(`harness: could not deliver ${name}: ${String(error)}`);
      }
    }
  };
  const emit = <E extends EventName>(event: E, payload: Events[E]): Promise<void> => {
    events.push({ event, payload } as SentEvent);
    waiters.poke();
    delivery = delivery.then(() => deliver(eventChannel(event), payload));
    return delivery;
  };

  const browserLogins = new BrowserLogins(
    t.artikey,
    openInBrowser,
    (prompt) => void emit('login.prompt', prompt),
  );
  cleanups.push(() => void browserLogins.cancel());
  const clipboardGuard = new ClipboardGuard(clipboard, options.clipboardClearMs);
  cleanups.push(() => clipboardGuard.clearNow());
  const engine: { background?: Background } = {};
  const handlers = createHandlers({
    artikey: t.artikey,
    environment,
    desktop,
    dialogs,
    clipboard: clipboardGuard,
    browserLogins,
    nextRefreshes: () => engine.background?.nextRefreshes() ?? new Map(),
    logger,
  });
  const dispatch = createDispatcher(handlers, logger);
  // As main's composition root does (the cast follows the core's and the contract's change
  // reasons while they are being aligned; index.ts is where a mismatch is type-checked).
  const unsubscribe = t.artikey.onChanged(
    (change) => void emit('instances.changed', change as Events['instances.changed']),
  );
  cleanups.push(unsubscribe);

  if (options.background) {
    engine.background = await startBackground({
      artikey: t.artikey,
      stateFile: t.stateFile,
      logger,
      showNotice: (notice) => void notices.push(notice),
      onFailed: (instanceId) => void emit('instances.changed', { instanceId, reason: 'failed' }),
      onStateFileChanged: () =>
        void emit('instances.changed', { instanceId: null, reason: 'external' }),
    });
    const { background } = engine;
    cleanups.push(() => background.stop());
  }

  const site = await serveFolder(RENDERER_DIR);
  cleanups.push(() => site.stop());
  const browser = await chromium.launch({
    ...CHROMIUM,
    headless: !options.headed,
    ...(options.handleSignals === false
      ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }
      : {}),
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1200, height: 800 },
  });
  const ours = await context.newPage();
  target.page = ours;
  ours.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  ours.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });

  // The binding is the only way in, and only for our page's main frame, as serveIpc trusts only
  // the window's main frame showing our renderer.
  await ours.exposeBinding(
    '__artikeyInvoke',
    async (source, channelName: unknown, args: unknown): Promise<Result<unknown>> => {
      const name = typeof channelName === 'string' ? channelName : '';
      const method = name.startsWith('artikey:') ? name.slice('artikey:'.length) : '';
      if (!isMethodName(method) || name !== `artikey:${method}`)
        throw new Error(`No handler registered for '${name}'`);
      const list = Array.isArray(args) ? (args as unknown[]) : [];
      const trusted =
        source.page === ours &&
        source.frame === ours.mainFrame() &&
        source.frame.url().startsWith(site.url);
      const result: Result<unknown> = trusted
        ? await dispatch(method, list)
        : {
            ok: false,
            code: 'untrusted-sender',
            message: 'This call did not come from the Artikey window.',
          };
      calls.push({ method, args: list, result });
      results.push({ method, result });
      waiters.poke();
      return result;
    },
  );
  await ours.addInitScript({ content: script });

  const open = async (): Promise<void> => {
    let ready!: () => void;
    loaded = new Promise<void>((resolve) => (ready = resolve));
    opened = true;
    try {
      await ours.goto(site.url);
    } finally {
      ready();
    }
  };

  const approved = new Set<string>();
  const sessionOf = (url: string): string | null => {
    try {
      return new URL(url).searchParams.get('jfClientSession');
    } catch {
      return null;
    }
  };

  const session: UiSession = {
    page: ours,
    browser,
    context,
    fake,
    artikey: t,
    home: t.home,
    url: site.url,
    calls,
    results,
    events,
    errors,
    notices,
    openedUrls,
    clipboard,
    dialogs,
    launchAtLogin,
    background: engine.background,
    open,
    emit,
    waitForEvent: (name, predicate, { from = 0, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) =>
      waiters.until(
        () =>
          events
            .slice(from)
            .find(
              (e): e is SentEvent<typeof name> =>
                e.event === name && (!predicate || predicate(e.payload as Events[typeof name])),
            )?.payload,
        `the event ${name}`,
        timeoutMs,
      ),
    waitForCall: (method, predicate, { from = 0, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) =>
      waiters.until(
        () => calls.slice(from).find((c) => c.method === method && (!predicate || predicate(c))),
        `a call of ${method}`,
        timeoutMs,
      ),
    approveBrowserLogin: async ({
      username = DEMO_USER.name,
      password = DEMO_USER.password,
      via = 'page',
      timeoutMs = DEFAULT_TIMEOUT_MS,
    } = {}) => {
      const url = await waiters.until(
        () =>
          openedUrls.find((u) => {
            const id = sessionOf(u);
            return id !== null && !approved.has(id);
          }),
        'Artikey to open a login page',
        timeoutMs,
      );
      const id = sessionOf(url) ?? '';
      approved.add(id);
      const { code } = await session.waitForEvent('login.prompt', (p) => p.url === url, {
        timeoutMs,
      });
      if (via === 'form') {
        const res = await fetch(new URL('/ui/login', url), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ session: id, username, password, code }).toString(),
        });
        if (!res.ok) throw new Error(`the login page refused: ${res.status} ${await res.text()}`);
      } else {
        const tab = await context.newPage();
        try {
          await tab.goto(url);
          await tab.getByLabel('Username').fill(username);
          await tab.getByLabel('Password').fill(password);
          await tab.getByLabel(/Verification code/).fill(code);
          const [response] = await Promise.all([
            tab.waitForResponse(
              (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/ui/login',
            ),
            tab.getByRole('button', { name: 'Sign in' }).click(),
          ]);
          if (!response.ok())
            throw new Error(
              `the login page refused: ${response.status()} ${await response.text()}`,
            );
        } finally {
          await tab.close();
        }
      }
      return { session: id, code };
    },
    pageReceived: () => JSON.stringify({ results, events }),
    screenshot: async (name, { fullPage = false } = {}) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = `${SCREENSHOT_DIR}/${name.replace(/[^\w.-]+/g, '_')}.png`;
      await ours.screenshot({ path, fullPage });
      return path;
    },
    close: async () => {
      closed = true;
      await cleanup();
    },
  };
  if (options.open !== false) await open();
  return session;
}
