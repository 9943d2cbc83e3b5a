// On Linux, re-runs the calling script inside a private D-Bus session with a fresh, unlocked GNOME
// Keyring (in a temp folder), so tests and benchmarks use the real Secret Service without ever
// touching the user's own keyring. Elsewhere (and inside that session) it returns at once.
import { spawnSync } from 'node:child_process';
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
  const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'artikey-test-keyring', encoding: 'utf8' });
  if (unlocked.status !== 0) fail(`gnome-keyring-daemon could not start: ${unlocked.stderr.trim()}`);
  for (const line of unlocked.stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] = match[2];
  }
}
