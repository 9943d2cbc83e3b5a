#!/usr/bin/env node
// `npm test`: lint, type-check, build, then every Vitest suite. On Linux the suites run inside a
// private D-Bus session with a fresh, unlocked GNOME Keyring, so keychain tests use the real
// Secret Service without ever touching the user's own keyring.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { inPrivateKeyring } from './private-keyring.mjs';

const root = new URL('../..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

function fail(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.exit(1);
}

function run(label, command, args, env = process.env) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.error) fail(`${label}: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

inPrivateKeyring('npm test');

run('lint', bin('eslint'), ['--config', 'build/eslint.config.js', '--max-warnings', '0', '.']);
run('type-check (node side)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
// electron/main again, with 'electron' mapped to the app tests' stand-in: main may use nothing the
// stand-in lacks, and the stand-in is typed as Electron's own API (test/app/standin/electron.ts).
run('type-check (main against the Electron stand-in)', bin('tsc'), ['-p', 'test/app/standin/tsconfig.json', '--noEmit']);
run('type-check (renderer)', bin('svelte-check'), ['--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
run('build', process.execPath, ['build/scripts/build.mjs']);
run('tests', bin('vitest'), ['run', '--config', 'build/vitest.config.ts', ...process.argv.slice(2)]);
