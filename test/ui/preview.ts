/**
 * `npm run preview`: the real renderer build in Chromium on the real core, against the fake
 * Artifactory with demo data, without Electron. A temp HOME, and a keychain that is never the
 * user's own: on Linux a private, throwaway GNOME Keyring in its own D-Bus session (as `npm
 * test` does), elsewhere an in-memory one. Two demo instances are logged in and the background
 * engine runs, so tokens refresh live. Headed when there is a display, headless otherwise.
 *
 *   npm run preview [-- --headless] [--port N] [--once] [--screenshot FILE] [--no-build]
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FakeClock } from '../fake-artifactory/clock.js';
import { commandLine } from '../fake-artifactory/command-line.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { logInAs } from '../support/browser-login.js';
import { root } from '../support/built.js';
import { RENDERER_DIR, SCREENSHOT_DIR, startUi, type UiSession } from './harness.js';
import { memoryKeychain } from './memory-keychain.js';

const USAGE = `Usage: npm run preview [-- options]

  --headless         no window, even with a display (a screenshot is saved instead)
  --port N           the demo fake Artifactory's port (default 8081 when free, else any)
  --once             start, wait for the first instance list, save a screenshot, exit
  --screenshot FILE  where to save the screenshot (default test-results/ui/preview.png)
  --no-build         do not rebuild dist/renderer when renderer/ is newer
  --memory-keychain  keep tokens in memory instead of a private GNOME Keyring (Linux)
  --verbose          log every request the fake Artifactory serves (redacted)`;

const PRIVATE = 'ARTIKEY_TEST_PRIVATE_KEYRING';
/** Set by the re-exec below (to a pid file): this process must unlock the private session's keyring. */
const UNLOCK = 'ARTIKEY_PREVIEW_UNLOCK_KEYRING';
const FIRST_LIST_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const fail = (message: string, code = 2): never => {
  process.stderr.write(`preview: ${message}\n`);
  process.exit(code);
};

function options() {
  const { values, port } = commandLine(
    {
      headless: { type: 'boolean' },
      once: { type: 'boolean' },
      screenshot: { type: 'string' },
      'no-build': { type: 'boolean' },
      'memory-keychain': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    USAGE,
    fail,
  );
  const display = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  return {
    port,
    once: values.once === true,
    headed: display && values.headless !== true,
    screenshot: values.screenshot ?? join(SCREENSHOT_DIR, 'preview.png'),
    build: values['no-build'] !== true,
    memoryKeychain: values['memory-keychain'] === true || process.platform !== 'linux',
    verbose: values.verbose === true,
  };
}

/** The newest modification time under a folder, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (latest, name) => Math.max(latest, newest(join(path, name))),
    stat.mtimeMs,
  );
}

function buildIfStale(): void {
  const built = join(RENDERER_DIR, 'index.html');
  const stale = !existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'renderer'));
  if (!stale) return;
  log('dist/renderer is missing or older than renderer/: building…');
  const result = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) fail('the build failed', 1);
}

/**
 * Linux: runs this script again inside a private D-Bus session (as private-keyring.mjs does for
 * npm test, but keeping tsx's loader flags) and waits for it. The session gets its own process
 * group, so Ctrl-C does not kill its keyring daemon under the preview's feet: this process
 * passes the signal on to the preview alone, which stops cleanly and ends the session.
 */
function rerunInPrivateKeyring(): Promise<never> {
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
      fail(`${tool} is missing: sudo apt-get install dbus gnome-keyring, or use --memory-keychain`);
  const folder = mkdtempSync(join(tmpdir(), 'artikey-keyring-'));
  const runtime = join(folder, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const pidFile = join(folder, 'preview.pid');
  const child = spawn(
    'dbus-run-session',
    ['--', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      detached: true,
      env: {
        ...process.env,
        [PRIVATE]: '1',
        [UNLOCK]: pidFile,
        XDG_DATA_HOME: join(folder, 'data'),
        XDG_RUNTIME_DIR: runtime,
      },
    },
  );
  const pass = (signal: NodeJS.Signals) => () => {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
    } catch {
      child.kill(signal);
    }
  };
  process.on('SIGINT', pass('SIGINT'));
  process.on('SIGTERM', pass('SIGTERM'));
  process.on('SIGHUP', pass('SIGTERM'));
  return new Promise<never>(() => {
    child.on('exit', (code, signal) => {
      rmSync(folder, { recursive: true, force: true });
      process.exit(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * Inside that session: a fresh GNOME Keyring, created unlocked with a throwaway password. (The
 * preview is one client, so its session keeps the stock service file; private-keyring.mjs has the
 * tests' bus start a crashed daemon again unlocked.)
 */
function unlockPrivateKeyring(pidFile: string): void {
  delete process.env[UNLOCK];
  writeFileSync(pidFile, String(process.pid));
  const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'artikey-preview-keyring',
    encoding: 'utf8',
  });
  if (unlocked.status !== 0)
    fail(`gnome-keyring-daemon could not start: ${unlocked.stderr.trim()}`, 1);
  for (const line of unlocked.stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) process.env[match[1]] = match[2];
  }
}

/** The demo fake as `npm run demo` starts it: the wall clock, port 8081 when free. */
async function startDemoFake(
  port: number | undefined,
  verbose: boolean,
  label: string,
): Promise<FakeArtifactory> {
  const base = {
    clock: new FakeClock(),
    ...(verbose ? { log: (line: string) => log(`  [${label}] ${line}`) } : {}),
  };
  if (port !== undefined) return startFakeArtifactory({ ...base, port });
  return startFakeArtifactory({ ...base, port: 8081 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    return startFakeArtifactory({ ...base, port: 0 });
  });
}

/** Two animation frames: whatever the last answer changed has been painted. */
const painted = (ui: UiSession): Promise<void> =>
  ui.page.evaluate(() => {
    const page = globalThis as unknown as { requestAnimationFrame(then: () => void): number };
    return new Promise<void>((resolve) =>
      page.requestAnimationFrame(() => page.requestAnimationFrame(() => resolve())),
    );
  });

async function main(): Promise<void> {
  const opts = options();
  if (opts.build) buildIfStale();
  if (!opts.memoryKeychain) {
    if (process.env[PRIVATE] !== '1') await rerunInPrivateKeyring();
    const pidFile = process.env[UNLOCK];
    if (pidFile) unlockPrivateKeyring(pidFile);
  }

  const fakes: FakeArtifactory[] = [];
  let ui: UiSession | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (why: string, code = 0): Promise<void> =>
    (stopping ??= (async () => {
      log(`Stopping (${why})…`);
      setTimeout(() => {
        process.stderr.write('preview: stopping took too long; exiting anyway\n');
        process.exit(code || 1);
      }, STOP_GRACE_MS).unref();
      await ui?.close().catch(() => undefined);
      await Promise.all(fakes.map((fake) => fake.stop().catch(() => undefined)));
      log('Stopped.');
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    const demo = await startDemoFake(opts.port, opts.verbose, 'demo');
    fakes.push(demo);
    const staging = await startDemoFake(0, opts.verbose, 'staging');
    fakes.push(staging);

    // What the system browser would do: show the login page (a tab beside Artikey's window).
    const openInBrowser = async (url: string): Promise<void> => {
      log(`Artikey opens in the browser: ${url}`);
      if (opts.headed && ui) await (await ui.context.newPage()).goto(url);
    };
    ui = await startUi({
      fake: demo,
      headed: opts.headed,
      background: true,
      open: false,
      // Ctrl-C stops everything in order here; Playwright would exit halfway.
      handleSignals: false,
      onOpenInBrowser: (url) => void openInBrowser(url).catch(() => undefined),
      ...(opts.memoryKeychain ? { keychain: memoryKeychain() } : {}),
    });
    const session = ui;
    session.page.on('pageerror', (error) => log(`page error: ${error.message}`));
    session.page.on('console', (message) => {
      if (message.type() === 'error') log(`console error: ${message.text()}`);
    });

    // Populate the overview: a long-lived browser login, and a short one that refreshes soon (the
    // fakes are strict, as a real server is: no password traded for a token).
    const core = session.artikey.artikey;
    await logInAs(core, demo, DEMO_USER.name, { name: 'Demo' });
    await logInAs(core, staging, 'bob', {
      name: 'Staging (short-lived token)',
      lifetimeSeconds: 5 * 60,
    });

    const listed = session.waitForCall('instances.list', undefined, {
      timeoutMs: FIRST_LIST_TIMEOUT_MS,
    });
    listed.catch(() => undefined);
    await session.open();
    session.page.on('close', () => void stop('the window was closed'));
    session.browser.on('disconnected', () => void stop('the browser was closed'));

    log('');
    log(`Artikey preview (the renderer from dist/renderer, on the real core)`);
    log(`  Fake Artifactory "Demo":    ${demo.url}/`);
    log(`  Fake Artifactory "Staging": ${staging.url}/`);
    log(`  Users:  ${DEMO_USER.name} / ${DEMO_USER.password}`);
    log(`          ${ADMIN_USER.name} / ${ADMIN_USER.password}`);
    log(`          bob / bob-demo-password`);
    log(`  HOME:     ${session.home} (temporary)`);
    log(
      `  Keychain: ${session.artikey.vault.description}${opts.memoryKeychain ? '' : ' (a private, temporary keyring)'}`,
    );
    log(
      `  Browser logins open a tab${opts.headed ? '' : ' (headless: its URL is printed)'}; sign in as ${DEMO_USER.name} with the code Artikey shows.`,
    );

    const firstList = await listed.then(
      () => true,
      () => false,
    );
    if (firstList) await painted(session);
    else
      log(
        `Warning: the page did not call instances.list within ${FIRST_LIST_TIMEOUT_MS / 1000} s.`,
      );
    if (opts.once || !opts.headed) {
      mkdirSync(dirname(opts.screenshot), { recursive: true });
      await session.page.screenshot({ path: opts.screenshot });
      log(`  Screenshot: ${opts.screenshot}`);
    }
    if (opts.once) {
      log(firstList ? 'Rendered the first instance list.' : 'No instance list was rendered.');
      await stop('--once');
      return;
    }
    log(
      opts.headed
        ? 'Close the browser window or press Ctrl-C to stop.'
        : 'Headless (no DISPLAY or WAYLAND_DISPLAY, or --headless). Press Ctrl-C to stop.',
    );
  } catch (error) {
    process.stderr.write(
      `preview: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await stop('an error', 1);
  }
}

await main();
