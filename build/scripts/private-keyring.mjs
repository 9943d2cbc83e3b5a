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
 * once or one is killed mid-call, which the race and crash tests do on purpose. A daemon that
 * D-Bus then starts on demand has the login keyring locked and no way to prompt, so every later
 * test would hang. This watchdog, a child that lives as long as this process, notices the dead
 * control socket and starts and unlocks the same on-disk keyring again.
 */
function keepKeyringUp() {
  const control = join(process.env.XDG_RUNTIME_DIR ?? '', 'keyring', 'control');
  const script = `
    const { connect } = require('node:net');
    const { spawnSync } = require('node:child_process');
    const parent = ${process.pid};
    setInterval(() => {
      try { process.kill(parent, 0); } catch { process.exit(0); }
      const socket = connect(${JSON.stringify(control)});
      socket.on('connect', () => socket.destroy());
      socket.on('error', () => {
        spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: ${JSON.stringify(PASSWORD)}, stdio: ['pipe', 'ignore', 'ignore'] });
        process.stderr.write('private keyring: the daemon died; started and unlocked it again\\n');
      });
    }, 250);
  `;
  const watchdog = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  watchdog.unref();
}
