/**
 * Runs the real built main bundle (dist/main/index.cjs) in a child process under the Electron
 * stand-in (test/app/standin), in a temp HOME, with the real keychain of this test session's
 * private D-Bus. The test sees every record the stand-in makes, drives the person's side through
 * commands, and drives each window with Playwright over the Chromium DevTools protocol.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureBuilt, root } from '../../support/built.js';
import type { AppMessage, BootOptions, Command, Recorded } from '../standin/protocol.js';

const STANDIN_DIR = join(root, 'test-results', 'app-standin');
const BOOT = join(STANDIN_DIR, 'boot.cjs');
export const MAIN_BUNDLE = join(root, 'dist', 'main', 'index.cjs');
export const RENDERER_INDEX = join(root, 'dist', 'renderer', 'index.html');

let built: Promise<void> | undefined;

/** The app build, and the stand-in bundled for the app process (once per test file). */
export function buildStandIn(): Promise<void> {
  return (built ??= (async () => {
    ensureBuilt();
    mkdirSync(STANDIN_DIR, { recursive: true });
    const page = await build({
      entryPoints: [join(root, 'test/app/standin/page-electron.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'ArtikeyStandinPage',
      platform: 'browser',
      target: 'chrome120',
      logLevel: 'warning',
    });
    await build({
      entryPoints: [join(root, 'test/app/standin/boot.ts')],
      outfile: BOOT,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['playwright-core'],
      define: { PAGE_ELECTRON_SOURCE: JSON.stringify(page.outputFiles[0]?.text ?? '') },
      logLevel: 'warning',
    });
  })());
}

export interface LaunchOptions {
  /** The HOME the app runs in; a fresh temp one by default (removed by `cleanup`). */
  home?: string;
  /** The command line after the app's path: `--hidden`, an `artikey://` link. */
  args?: string[];
  openUrlsBeforeReady?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run an installed app: electron-builder's `resources` folder (see layOutPackagedApp). */
  packaged?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A fresh temp HOME for an app (and any CLI run beside it). */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'artikey-app-'));
}

/** The environment the app gets: a temp HOME, no display, no proxies, nothing of the test's own. */
export function appEnvironment(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(ARTIKEY_|npm_|NPM_CONFIG_)|_PROXY$|_proxy$|^VITEST|^NODE_OPTIONS$/.test(name))
      delete env[name];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    NO_COLOR: '1',
    ...extra,
  };
}

export class App {
  readonly records: Recorded[] = [];
  readonly exited: Promise<Exit>;
  #output = '';
  #nextId = 1;
  #replies = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #waiters = new Set<() => void>();
  #browser: Browser | undefined;
  #exit: Exit | null = null;

  private constructor(
    readonly home: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    child.on('message', (message: AppMessage) => {
      if (message.type === 'recorded') {
        this.records.push(message.record);
        for (const wake of [...this.#waiters]) wake();
        return;
      }
      const waiting = this.#replies.get(message.id);
      this.#replies.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        for (const waiting of this.#replies.values())
          waiting.reject(new Error(`the app exited (${code ?? signal})`));
        for (const wake of [...this.#waiters]) wake();
        resolve(this.#exit);
      }),
    );
  }

  static async launch(options: LaunchOptions = {}): Promise<App> {
    await buildStandIn();
    const home = options.home ?? tempHome();
    const boot: BootOptions = {
      main: options.packaged
        ? join(options.packaged, 'app', 'dist', 'main', 'index.cjs')
        : MAIN_BUNDLE,
      // As Electron answers app.getAppPath(): the folder, without a trailing slash.
      appPath: options.packaged ? join(options.packaged, 'app') : root.replace(/\/$/, ''),
      resourcesPath: options.packaged ?? null,
      args: options.args ?? [],
      openUrlsBeforeReady: options.openUrlsBeforeReady ?? [],
      browserProfile: mkdtempSync(join(home, '.chromium-')),
    };
    const child = fork(BOOT, [], {
      cwd: home,
      env: { ...appEnvironment(home, options.env), ARTIKEY_STANDIN: JSON.stringify(boot) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    return new App(home, child);
  }

  /** What the app process printed (for a failing test's message). */
  get output(): string {
    return this.#output;
  }

  get hasExited(): boolean {
    return this.#exit !== null;
  }

  command(command: Command): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#exit) return reject(new Error('the app has exited'));
      this.#replies.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }

  /** The records of one kind, in order. */
  all<K extends Recorded['kind']>(kind: K): Extract<Recorded, { kind: K }>[] {
    return this.records.filter(
      (record): record is Extract<Recorded, { kind: K }> => record.kind === kind,
    );
  }

  /** Waits for a record (already made or still to come) that `match` accepts. */
  waitFor<R extends Recorded>(
    what: string,
    match: (record: Recorded) => record is R,
    timeoutMs?: number,
  ): Promise<R>;
  waitFor(
    what: string,
    match: (record: Recorded) => boolean,
    timeoutMs?: number,
  ): Promise<Recorded>;
  waitFor(
    what: string,
    match: (record: Recorded) => boolean,
    timeoutMs = 15_000,
  ): Promise<Recorded> {
    return this.until(what, () => this.records.find(match), timeoutMs);
  }

  /** Waits until `check` returns something, re-checking on every record. */
  until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        let found: T | undefined;
        try {
          found = check();
        } catch (error) {
          return finish(() => reject(error as Error));
        }
        if (found !== undefined) return finish(() => resolve(found));
        if (this.#exit)
          finish(() => reject(new Error(`the app exited before ${what}\n${this.#describe()}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out waiting for ${what}\n${this.#describe()}`))),
        timeoutMs,
      );
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        settle();
      };
      this.#waiters.add(wake);
      wake();
    });
  }

  #describe(): string {
    const records = this.records.map((r) => JSON.stringify(r).slice(0, 300)).join('\n  ');
    return `records:\n  ${records}\noutput:\n${this.#output.slice(-3000)}`;
  }

  /** The window's page, driven over the DevTools protocol once it shows `url`. */
  async page(url = 'renderer/index.html'): Promise<Page> {
    const { cdpUrl } = await this.waitFor(
      'the browser',
      (r): r is Extract<Recorded, { kind: 'browser' }> => r.kind === 'browser',
    );
    this.#browser ??= await chromium.connectOverCDP(cdpUrl);
    const browser = this.#browser;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const page = browser
        .contexts()
        .flatMap((context) => context.pages())
        .find((p) => p.url().includes(url));
      if (page) return page;
      if (Date.now() > deadline) throw new Error(`no page showing ${url}\n${this.#describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The latest tray menu, as labels (with submenus) for assertions. */
  trayMenu(): Extract<Recorded, { kind: 'tray'; event: 'menu' }>['items'] {
    const menus = this.records.filter(
      (r): r is Extract<Recorded, { kind: 'tray'; event: 'menu' }> =>
        r.kind === 'tray' && r.event === 'menu',
    );
    return menus.at(-1)?.items ?? [];
  }

  /** Time passes in the app process as if awake; every timer due meanwhile fires. */
  advance(ms: number): Promise<unknown> {
    return this.command({ op: 'advance', ms });
  }

  /** Asks the app to quit (as the tray's Quit or the system would) and waits for it to end. */
  async quit(): Promise<Exit> {
    await this.command({ op: 'quit' }).catch(() => undefined);
    return this.exited;
  }

  /**
   * Ends the app, however it is doing, and removes its HOME. Fails when main left an exception
   * or rejection unhandled at any point: every app test checks that for free.
   */
  async cleanup(options: { keepHome?: boolean } = {}): Promise<void> {
    await this.#browser?.close().catch(() => undefined);
    if (!this.#exit) {
      // As Electron's app.exit: the browser goes with the app. A kill is the last resort, and
      // then whatever the app started (Chromium, the keychain child) is ended by hand.
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.command({ op: 'exit' }).catch(() => undefined);
      await this.exited;
      clearTimeout(killer);
    }
    for (const leftover of processesMentioning(this.home)) {
      try {
        process.kill(Number(leftover.split(':')[0]), 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (!options.keepHome) rmSync(this.home, { recursive: true, force: true });
    const errors = this.all('main-error');
    if (errors.length > 0)
      throw new Error(`main left errors unhandled:\n${errors.map((e) => e.message).join('\n')}`);
  }
}

/** Processes still running whose command line mentions `text` (a temp HOME, say). */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmdline.includes(text) && Number(pid) !== process.pid)
      found.push(`${pid}: ${cmdline.slice(0, 200)}`);
  }
  return found;
}

/** The built `artikey` CLI in the app's HOME, sharing its state file and keychain. */
export function runCli(
  home: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'artikey.js'), ...args], {
      cwd: home,
      env: appEnvironment(home, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Time passes for the fake Artifactory and the app alike (the app's timers due meanwhile fire). */
export async function letTimePass(
  app: App,
  fake: { clock: { advance(seconds: number): void } },
  seconds: number,
): Promise<void> {
  fake.clock.advance(seconds);
  await app.advance(seconds * 1000);
}
