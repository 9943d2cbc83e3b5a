// On Linux, re-runs the calling script inside a private D-Bus session with a fresh, unlocked GNOME
// Keyring (in a temp folder), so tests and benchmarks use the real Secret Service without ever
// touching the user's own keyring. Elsewhere (and inside that session) it returns at once.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRIVATE = 'ARTIKEY_TEST_PRIVATE_KEYRING';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function inPrivateKeyring(label) {
  const fail = (message) => {
    process.stderr.write(`${label}: ${message}\n`);
    process.exit(1);
  };
  if (process.platform !== 'linux') return;
  if (process.env[PRIVATE] !== '1') {
    for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
      if (!has(tool)) fail(`${tool} is missing. Install the keychain dependencies: sudo apt-get install dbus gnome-keyring libsecret-tools`);
    }
    const home = mkdtempSync(join(tmpdir(), 'artikey-keyring-'));
    const runtime = join(home, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    const env = {
      ...process.env,
      [PRIVATE]: '1',
      // The keyring daemon keeps its keyrings under XDG_DATA_HOME and its sockets under XDG_RUNTIME_DIR.
      XDG_DATA_HOME: join(home, 'data'),
      XDG_RUNTIME_DIR: runtime,
    };
    const result = spawnSync('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env });
    rmSync(home, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
  // Creates the default "login" keyring with this password and unlocks it; prints the control socket.
  const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: PASSWORD, encoding: 'utf8' });
  if (unlocked.status !== 0) fail(`gnome-keyring-daemon could not start: ${unlocked.stderr.trim()}`);
  for (const line of unlocked.stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] = match[2];
  }
  keepKeyringUp();
}

const PASSWORD = 'artikey-test-keyring';

/**
 * gnome-keyring-daemon 42 sometimes aborts (a GLib assertion) when many clients come and go at
 * once or one is killed mid-call, which the race and crash tests do on purpose. D-Bus then starts
 * a new daemon on demand, with the login keyring locked and no way to prompt, so every later
 * test would fail. This watchdog, a child that lives as long as this process, watches which
 * daemon serves this session (by its XDG_RUNTIME_DIR); when it dies or is replaced, it unlocks
 * the same on-disk keyring again.
 */
function keepKeyringUp() {
  const runtime = process.env.XDG_RUNTIME_DIR ?? '';
  const script = `
    const { readdirSync, readFileSync } = require('node:fs');
    const { spawnSync } = require('node:child_process');
    const parent = ${process.pid};
    const marker = ${JSON.stringify(`XDG_RUNTIME_DIR=${runtime}\0`)};
    const daemon = () => {
      let newest = null;
      for (const pid of readdirSync('/proc')) {
        if (!/^\\d+$/.test(pid)) continue;
        try {
          if (readFileSync('/proc/' + pid + '/comm', 'utf8').trim() !== 'gnome-keyring-d') continue;
          if (readFileSync('/proc/' + pid + '/environ', 'utf8').includes(marker)) newest = Math.max(newest ?? 0, Number(pid));
        } catch {}
      }
      return newest;
    };
    let unlocked = daemon();
    setInterval(() => {
      try { process.kill(parent, 0); } catch { process.exit(0); }
      const current = daemon();
      if (current !== null && current === unlocked) return;
      // Let D-Bus finish starting its locked daemon, then replace it with an unlocked one.
      const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      settle();
      spawnSync('gnome-keyring-daemon', ['--replace', '--unlock', '--components=secrets'], { input: ${JSON.stringify(PASSWORD)}, stdio: ['pipe', 'ignore', 'ignore'] });
      settle();
      unlocked = daemon();
      process.stderr.write('private keyring: the daemon died or was replaced; unlocked the keyring again\\n');
    }, 100);
  `;
  const watchdog = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  watchdog.unref();
}
