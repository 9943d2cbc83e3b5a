#!/usr/bin/env node
// `npm test`: lint, type-check, build, then every Vitest suite. On Linux the suites run inside a
// private D-Bus session with a fresh, unlocked GNOME Keyring, so keychain tests use the real
// Secret Service without ever touching the user's own keyring.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRIVATE = 'ARTIKEY_TEST_PRIVATE_KEYRING';
const root = new URL('../..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

function fail(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(label, command, args, env = process.env) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.error) fail(`${label}: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.platform === 'linux' && process.env[PRIVATE] !== '1') {
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (!has(tool)) fail(`${tool} is missing. Install the keychain test dependencies: sudo apt-get install dbus gnome-keyring libsecret-tools`);
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
  const result = spawnSync('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], { cwd: root, stdio: 'inherit', env });
  rmSync(home, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

if (process.env[PRIVATE] === '1') {
  // Creates the default "login" keyring with this password and unlocks it; prints the control socket.
  const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'artikey-test-keyring', encoding: 'utf8' });
  if (unlocked.status !== 0) fail(`gnome-keyring-daemon could not start: ${unlocked.stderr.trim()}`);
  for (const line of unlocked.stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] = match[2];
  }
}

run('lint', bin('eslint'), ['--config', 'build/eslint.config.js', '--max-warnings', '0', '.']);
run('type-check (node side)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run('type-check (renderer)', bin('svelte-check'), ['--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
run('build', process.execPath, ['build/scripts/build.mjs']);
run('tests', bin('vitest'), ['run', '--config', 'build/vitest.config.ts', ...process.argv.slice(2)]);
