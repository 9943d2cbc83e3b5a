#!/usr/bin/env node
// `npm run bench`: speed figures as ratios to `node -e 0` on the same machine and environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 20);

if (!existsSync(`${root}dist/cli/artikey.js`)) spawnSync(process.execPath, [`${root}build/scripts/build.mjs`], { stdio: 'inherit' });

function time(args, env) {
  spawnSync(process.execPath, args, { env, stdio: 'ignore' }); // warm the file cache
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** A state file with 50 instances, as `artikey list` reads it (no keychain access). */
function fiftyInstances(home) {
  const now = Math.floor(Date.now() / 1000);
  const instances = Array.from({ length: 50 }, (_, i) => ({
    id: `instance-${i}.jfrog.io`,
    name: `instance-${i}`,
    platformUrl: `https://instance-${i}.jfrog.io/`,
    username: 'alice',
    loginMethod: 'browser',
    token: { kind: 'access-token', tokenId: `id-${i}`, subject: 'jfac@01x/users/alice', scopes: ['applied-permissions/user'], audience: ['*@*'], issuer: 'jfac@01x', issuedAt: now, expiresAt: now + 3600 * (i + 1), refreshable: true, revocable: true, signature: 'not-checked' },
    tokenLifetimeSeconds: null,
    caFile: null,
    addedAt: now,
    updatedAt: now,
    revocation: { status: 'active', checkedAt: now },
    refreshError: null,
  }));
  mkdirSync(join(home, 'artikey'), { recursive: true });
  writeFileSync(join(home, 'artikey', 'state.json'), JSON.stringify({ version: 1, instances, settings: {} }));
}

const home = mkdtempSync(join(tmpdir(), 'artikey-bench-'));
try {
  fiftyInstances(home);
  const env = { ...process.env, XDG_CONFIG_HOME: home };
  const baseline = time(['-e', '0'], env);
  const list = time([`${root}dist/cli/artikey.js`, 'list', '--json'], env);
  const ratio = list / baseline;
  process.stdout.write(`node -e 0:                          ${baseline.toFixed(1)} ms (median of ${runs})\n`);
  process.stdout.write(`artikey list --json, 50 instances:  ${list.toFixed(1)} ms (median of ${runs})\n`);
  process.stdout.write(`ratio: ${ratio.toFixed(2)}x (target <= 1.50x)${ratio <= 1.5 ? '' : '  ABOVE TARGET'}\n`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
