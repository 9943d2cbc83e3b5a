// The refresh kill window, for `npm run bench`: `artikey refresh` is killed with SIGKILL at a
// random moment of its run, REFRESH_KILLS times; after each kill a second `artikey refresh` tells
// whether the session survived (the stored refresh token still works) or says "log in again".
// Prints one JSON line: kills, kills that landed after the server had spent the refresh token,
// sessions lost, and where the lost ones were cut (the documented window: after the server's
// answer, before the keychain holds the new pair).
import { spawn } from 'node:child_process';
import { DEMO_USER } from '../../test/fake-artifactory/directory.js';
import { startFakeArtifactory } from '../../test/fake-artifactory/server.js';
import { artikeyEnv, runClient, scratchHome } from '../../test/support/clients.js';
import { prng } from '../../test/support/lifecycle.js';

// REFRESH_KILL_CLI_ROOT: another checkout's build, to compare a change against the same measurement.
const root = process.env['REFRESH_KILL_CLI_ROOT'] ?? new URL('../..', import.meta.url).pathname;
const wanted = Number(process.env['REFRESH_KILLS'] ?? 200);
const seed = Number(process.env['REFRESH_KILL_SEED'] ?? Date.now() % 1_000_000);
const random = prng(seed);
const fake = await startFakeArtifactory();
const scratch = scratchHome();
const env = artikeyEnv(scratch);
// Asynchronous: the fake answers from this process's event loop.
const artikey = (args: string[], input = '') =>
  runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
const login = async (): Promise<void> => {
  const run = await artikey(
    ['login', fake.url, '--user', DEMO_USER.name, '--password-stdin'],
    DEMO_USER.password,
  );
  if (run.code !== 0) throw new Error(`login failed: ${run.stderr}`);
};

/** One `artikey refresh`, killed after `delayMs` (or not at all); resolves with whether it died. */
function refreshKilledAfter(delayMs: number | null): Promise<{ killed: boolean; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [`${root}dist/cli/artikey.js`, 'refresh', fake.host], {
    env,
    stdio: 'ignore',
  });
  const timer = delayMs === null ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
  return new Promise((resolve) =>
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', ms: Date.now() - started });
    }),
  );
}

let kills = 0;
let afterServerRefresh = 0;
let lost = 0;
let saidLogInAgain = 0;
try {
  await login();
  // The command's usual span, so kills fall anywhere over it: start-up, lock, request, keychain, files, exit.
  const spans: number[] = [];
  for (let i = 0; i < 7; i++) spans.push((await refreshKilledAfter(null)).ms);
  spans.sort((a, b) => a - b);
  const span = spans[3] ?? 500;
  while (kills < wanted) {
    const before = fake.tokens.refreshCount;
    const run = await refreshKilledAfter(Math.floor(random() * span * 1.1));
    if (!run.killed) continue;
    kills++;
    if (fake.tokens.refreshCount > before) afterServerRefresh++;
    const next = await artikey(['refresh', fake.host]);
    if (next.code === 0) continue;
    lost++;
    if (next.code === 4 && /log in again/i.test(next.stderr)) saidLogInAgain++;
    else
      process.stderr.write(`unexpected answer after a kill: exit ${next.code}: ${next.stderr}\n`);
    await login();
  }
  process.stdout.write(
    `${JSON.stringify({ seed, kills, spanMs: span, killsAfterServerRefresh: afterServerRefresh, sessionsLost: lost, saidLogInAgain, lossRate: lost / kills, lossRateOfKillsAfterServerRefresh: afterServerRefresh ? lost / afterServerRefresh : 0 })}\n`,
  );
} finally {
  await artikey(['logout', fake.host]);
  await fake.stop();
  scratch.cleanup();
}
