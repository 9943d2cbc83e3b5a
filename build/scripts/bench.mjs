#!/usr/bin/env node
// `npm run bench`: speed figures as ratios to `node -e 0` on the same machine and environment.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inPrivateKeyring } from './private-keyring.mjs';

// The Docker helper reads the real keychain: on Linux, a private GNOME Keyring like `npm test`'s.
inPrivateKeyring('npm run bench');

const root = new URL('../..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 20);

if (!existsSync(`${root}dist/cli/artikey.js`))
  spawnSync(process.execPath, [`${root}build/scripts/build.mjs`], { stdio: 'inherit' });

const median = (samples) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/**
 * Median wall times of `command args` (stdin `input`) and of `node -e 0`, run alternately after
 * one warm-up each, so that a ratio compares runs made in the same moment of a shared machine.
 */
function time(args, env, { command = process.execPath, input = '' } = {}) {
  const once = (run, runArgs, stdin) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(run, runArgs, { env, input: stdin, stdio: ['pipe', 'pipe', 'pipe'] });
    if (result.status !== 0)
      throw new Error(`${run} ${runArgs.join(' ')} failed: ${result.stdout}${result.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  once(command, args, input); // warm the file cache
  once(process.execPath, ['-e', '0'], '');
  const samples = [];
  const baseline = [];
  for (let i = 0; i < runs; i++) {
    samples.push(once(command, args, input));
    baseline.push(once(process.execPath, ['-e', '0'], ''));
  }
  return { ms: median(samples), ratio: median(samples) / median(baseline) };
}

const line = (label, ms) =>
  process.stdout.write(`${label.padEnd(46)}${ms.toFixed(1)} ms (median of ${runs})\n`);
const ratio = (label, value, target) =>
  process.stdout.write(
    `${label.padEnd(46)}${value.toFixed(2)}x (target <= ${target.toFixed(2)}x)${value <= target ? '' : '  ABOVE TARGET'}\n`,
  );

/** The bundled fake Artifactory on a free loopback port; resolves with its URL. */
function startFake() {
  const child = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    // A server that trades a password for a token, so the bench logs in without a browser.
    [
      join(root, 'test/fake-artifactory/cli.ts'),
      '--port',
      '0',
      '--quiet',
      '--profile',
      'self-hosted-7.64',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve({ url, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`the fake Artifactory exited (${code})`)));
  });
}

/** `artikey agent`, which serves the helper from memory; resolves once it listens. */
function startAgent(env) {
  const child = spawn(process.execPath, [`${root}dist/cli/artikey.js`, 'agent'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/keeping \d+ instance/.test(out)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`artikey agent exited (${code}): ${out}`)));
  });
}

/**
 * `docker-credential-artikey get`, which Docker runs for every pull and build, against a real
 * login (keychain read, state file, token still valid so no refresh), then with `artikey agent`
 * answering from memory, and the Go helper Debian ships for the same keychain when installed.
 */
async function helperGet() {
  const fake = await startFake();
  const home = mkdtempSync(join(tmpdir(), 'artikey-bench-helper-'));
  try {
    const env = {
      ...process.env,
      ARTIKEY_STATE_FILE: join(home, 'state.json'),
      ARTIKEY_KEYCHAIN_SERVICE: `artikey-bench-${process.pid}`,
    };
    const login = spawnSync(
      process.execPath,
      [`${root}dist/cli/artikey.js`, 'login', fake.url, '--user', 'alice', '--password-stdin'],
      { env, input: 'alice-demo-password', encoding: 'utf8' },
    );
    if (login.status !== 0) throw new Error(`login failed: ${login.stderr}`);
    const host = new URL(fake.url).host;
    const get = time([`${root}dist/cli/docker-credential-artikey.cjs`, 'get'], env, { input: host });
    line('docker-credential-artikey get (no agent):', get.ms);
    ratio('  ratio to node -e 0:', get.ratio, 1.5);
    const agent = await startAgent(env);
    try {
      const viaAgent = time([`${root}dist/cli/docker-credential-artikey.cjs`, 'get'], env, {
        input: host,
      });
      line('docker-credential-artikey get (agent up):', viaAgent.ms);
      ratio('  ratio to node -e 0:', viaAgent.ratio, 1.3);
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))?.[1];
      if (rss)
        process.stdout.write(
          `artikey agent RSS after ${runs + 1} helper requests: ${Math.round(Number(rss) / 1024)} MB (target <= 80 MB)\n`,
        );
    } finally {
      agent.kill('SIGTERM');
    }
    if (
      spawnSync('sh', ['-c', 'command -v docker-credential-secretservice'], { stdio: 'ignore' })
        .status === 0
    ) {
      const stored = spawnSync('docker-credential-secretservice', ['store'], {
        input: JSON.stringify({ ServerURL: host, Username: 'alice', Secret: 'bench-secret' }),
      });
      if (stored.status !== 0)
        throw new Error(`docker-credential-secretservice store failed: ${stored.stdout}`);
      const go = time(['get'], env, { command: 'docker-credential-secretservice', input: host });
      spawnSync('docker-credential-secretservice', ['erase'], { input: host });
      line('docker-credential-secretservice get (Go):', go.ms);
      process.stdout.write(`${'  ratio to node -e 0:'.padEnd(46)}${go.ratio.toFixed(2)}x\n`);
    } else {
      process.stdout.write(
        'docker-credential-secretservice: not installed (apt-get install golang-docker-credential-helpers to compare)\n',
      );
    }
    spawnSync(process.execPath, [`${root}dist/cli/artikey.js`, 'logout', host], {
      env,
      stdio: 'ignore',
    });
  } finally {
    fake.stop();
    rmSync(home, { recursive: true, force: true });
  }
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
    token: {
      kind: 'access-token',
      tokenId: `id-${i}`,
      subject: 'jfac@01x/users/alice',
      scopes: ['applied-permissions/user'],
      audience: ['*@*'],
      issuer: 'jfac@01x',
      issuedAt: now,
      expiresAt: now + 3600 * (i + 1),
      refreshable: true,
      revocable: true,
      signature: 'not-checked',
    },
    tokenLifetimeSeconds: null,
    caFile: null,
    addedAt: now,
    updatedAt: now,
    revocation: { status: 'active', checkedAt: now },
    refreshError: null,
  }));
  mkdirSync(join(home, 'artikey'), { recursive: true });
  writeFileSync(
    join(home, 'artikey', 'state.json'),
    JSON.stringify({ version: 1, instances, settings: {} }),
  );
}

/**
 * Runs a TypeScript benchmark under tsx and returns the JSON line it prints; with `showStderr`,
 * what it wrote to stderr (the lifecycle's broken rounds) is passed on.
 */
function tsBench(file, extraEnv = {}, { showStderr = false } = {}) {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, file)], {
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr}`);
  if (showStderr && result.stderr) process.stderr.write(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** The refresh engine with 1,000 tokens: idle wake-ups, memory, and a burst of 1,000 due at once. */
function engineFigures() {
  const f = tsBench('build/bench/engine.ts');
  process.stdout.write(`refresh engine, ${f.tokens} tokens with staggered expiries:\n`);
  process.stdout.write(
    `  timers set: ${f.timersWhileIdle}; wake-ups in the next idle hour: ${f.wakeUpsNextHour} (target 0); first refresh in ${f.firstRefreshInMinutes} min\n`,
  );
  process.stdout.write(
    `  RSS ${f.rssMb} MB for the whole bench process (engine + in-process fake + tsx); the engine's share for 1,000 tokens: ${f.rssGrowthMb} MB\n`,
  );
  process.stdout.write(
    `  burst of ${f.burstRefreshes} due at once: ${f.burstSeconds} s (target <= 15 s), at most ${f.maxInFlight} requests in flight (target <= 8)\n`,
  );
}

/** The race test, repeated: 20 processes per round, each round must cost exactly one refresh. */
function raceFigures() {
  const f = tsBench('build/bench/race.ts');
  process.stdout.write(
    `refresh race, ${f.rounds} rounds of ${f.processesPerRound} processes plus the agent:\n`,
  );
  process.stdout.write(
    `  rounds with exactly one refresh and one answer: ${f.roundsWithExactlyOneRefresh}/${f.rounds}; refreshes per round: ${f.refreshesPerRound} (target 1); sessions lost: ${f.sessionsLost} (target 0)\n`,
  );
}

/** The lifecycle test at bench size: random processes, the agent and SIGKILLs until 300 were killed. */
function lifecycleFigures() {
  const f = tsBench('build/bench/lifecycle.ts', {}, { showStderr: true });
  process.stdout.write(
    `lifecycle (seed ${f.seed}), ${f.rounds} rounds, ${f.operations} operations, ${f.msPerRound} ms per round:\n`,
  );
  process.stdout.write(
    `  kill trials: ${f.kills} (${Object.entries(f.killsByOperation)
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ')})\n`,
  );
  process.stdout.write(
    `  invariant violations: ${f.violations} (target 0)${f.violations ? `: ${JSON.stringify(f.violationsByInvariant)}` : ''}\n`,
  );
  process.stdout.write(
    `  sessions lost in the refresh window (killed after the server spent the refresh token): ${f.unavoidableLosses}\n`,
  );
  process.stdout.write(
    `  tokens left by a login killed in its window (after the server created the token, before the keychain stored it) and still live at a round's end: ${f.loginWindowOrphans}\n`,
  );
  process.stdout.write(
    `  tokens such logins left that the next login or refresh of the instance revoked: ${f.loginOrphansSwept}\n`,
  );
}

/** `artikey refresh` killed at a random moment, 200 times: how often the session is lost. */
function refreshKillFigures() {
  const f = tsBench('build/bench/refresh-kill.ts');
  process.stdout.write(
    `refresh killed with SIGKILL at a random moment of its ${f.spanMs} ms run, ${f.kills} times:\n`,
  );
  process.stdout.write(
    `  sessions lost: ${f.sessionsLost} (${(f.lossRate * 100).toFixed(1)} % of kills; ${f.saidLogInAgain} said "log in again"); kills after the server had spent the refresh token: ${f.killsAfterServerRefresh}, of which lost ${(f.lossRateOfKillsAfterServerRefresh * 100).toFixed(0)} %\n`,
  );
}

/** The window in Chromium: bundle size, first render of 1,000 instances, a filter keystroke. */
function rendererFigures() {
  if (!existsSync(`${root}dist/renderer/index.html`))
    spawnSync(process.execPath, [`${root}build/scripts/build.mjs`], { stdio: 'inherit' });
  const f = tsBench('build/bench/renderer.ts');
  const budget = (label, value, unit, target) =>
    process.stdout.write(
      `${label.padEnd(46)}${value} ${unit} (target <= ${target} ${unit})${value <= target ? '' : '  ABOVE TARGET'}\n`,
    );
  process.stdout.write('the window, in Chromium:\n');
  budget('  renderer JavaScript, gzipped:', f.jsGzipKb, 'KB', 60);
  process.stdout.write(`  renderer CSS, gzipped:                      ${f.cssGzipKb} KB\n`);
  budget(
    `  first render, ${f.instances} instances (median of ${f.firstRenderRuns.length}):`,
    f.firstRenderMs,
    'ms',
    100,
  );
  process.stdout.write(`    of which style and layout:                ${f.firstLayoutMs} ms\n`);
  budget(`  filter keystroke (median of ${f.keystrokes}):`, f.keystrokeMedianMs, 'ms', 16);
  process.stdout.write(`  filter keystroke, slowest:                  ${f.keystrokeMaxMs} ms\n`);
  process.stdout.write(
    `  key event to rows laid out (median):        ${f.keyToLayoutMedianMs} ms (adds the browser's input delivery)\n`,
  );
  process.stdout.write(
    `  ${f.tick.seconds} s of countdown ticks: ${f.tick.rowsAdded + f.tick.rowsRemoved} rows redrawn (target 0), ${f.tick.textUpdates} text updates\n`,
  );
}

/** Every tool-file editor's properties at 100,000 cases or more (build/bench/fuzz.ts prints its table). */
function fuzzFigures() {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'build/bench/fuzz.ts')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exitCode = 1;
}

const home = mkdtempSync(join(tmpdir(), 'artikey-bench-'));
try {
  fiftyInstances(home);
  const env = { ...process.env, XDG_CONFIG_HOME: home };
  const list = time([`${root}dist/cli/artikey.js`, 'list', '--json'], env);
  line('node -e 0:', list.ms / list.ratio);
  line('artikey list --json, 50 instances:', list.ms);
  ratio('  ratio to node -e 0:', list.ratio, 1.5);
  await helperGet();
  engineFigures();
  raceFigures();
  refreshKillFigures();
  lifecycleFigures();
  rendererFigures();
  fuzzFigures();
} finally {
  rmSync(home, { recursive: true, force: true });
}
