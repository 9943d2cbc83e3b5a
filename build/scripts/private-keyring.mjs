// On Linux, re-runs the calling script inside a private D-Bus session with a fresh, unlocked GNOME
// Keyring (in a temp folder), so tests and benchmarks use the real Secret Service without ever
// touching the user's own keyring. Elsewhere (and inside that session) it returns at once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
    const config = sessionBusConfig(home);
    const result = spawnSync('dbus-run-session', [`--config-file=${config}`, '--', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env });
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
}

const PASSWORD = 'artikey-test-keyring';
const SESSION_BUS_CONFIG = '/usr/share/dbus-1/session.conf';

/**
 * gnome-keyring-daemon 42 sometimes aborts (a GLib assertion) when many clients come and go at
 * once or one is killed mid-call, which the race and crash tests do on purpose. D-Bus then starts
 * a new daemon for the next call, and the stock service file starts it with the login keyring
 * locked: every later call would fail, or wait for ever on an unlock prompt no display can show.
 * This session's bus starts it from a service file of its own instead, unlocked with the same
 * password over the same keyring files, so a crash costs at most the call in flight (which
 * build/vitest.config.ts retries).
 */
function sessionBusConfig(home) {
  const services = join(home, 'dbus-services');
  mkdirSync(services);
  const daemon = spawnSync('sh', ['-c', 'command -v gnome-keyring-daemon'], { encoding: 'utf8' }).stdout.trim();
  const start = `echo "private keyring: gnome-keyring-daemon had gone; D-Bus started it again, unlocked" >&2; printf %s ${PASSWORD} | exec ${daemon} --replace --unlock --foreground --components=secrets >/dev/null 2>&1`;
  // org.gnome.keyring is the daemon's older name; both must start it unlocked.
  for (const name of ['org.freedesktop.secrets', 'org.gnome.keyring']) {
    writeFileSync(join(services, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=/bin/sh -c '${start}'\n`);
  }
  const config = join(home, 'session-bus.conf');
  // Debian's own session bus (its limits too: the keyring library opens a connection per call),
  // with this folder's services first: the first folder that names a service wins.
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>${services}</servicedir>
  <include>${SESSION_BUS_CONFIG}</include>
</busconfig>
`,
  );
  return config;
}
