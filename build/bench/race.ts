// The refresh race, repeated, for `npm run bench`: per round, a token is made due and 20 real
// processes (the Docker helper and `artikey token`) and the agent ask for it at once. The fake enforces
// single-use refresh tokens; a round passes when it saw exactly one refresh and every process got
// the same token, and the session survives (the next round needs the stored refresh token).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeArtifactory } from '../../test/fake-artifactory/server.js';

const root = new URL('../..', import.meta.url).pathname;
const rounds = Number(process.env['RACE_ROUNDS'] ?? 50);
const home = mkdtempSync(join(tmpdir(), 'artikey-race-'));
const env = {
  ...process.env,
  ARTIKEY_STATE_FILE: join(home, 'state.json'),
  ARTIKEY_KEYCHAIN_SERVICE: `artikey-race-${process.pid}`,
};

function run(
  script: string,
  args: string[],
  input = '',
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}dist/cli/${script}`, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    child.stdin.end(input);
  });
}

const fake = await startFakeArtifactory();
let exactlyOne = 0;
let lost = 0;
let totalRefreshes = 0;
try {
  for (let round = 0; round < rounds; round++) {
    // A fresh 90-second token that is already 80 seconds old: due for every caller.
    fake.clock.set(Date.now() - 80_000);
    const login = await run(
      'artikey.js',
      ['login', fake.url, '--user', 'alice', '--password-stdin', '--lifetime', '90s'],
      'alice-demo-password',
    );
    fake.clock.set(Date.now());
    // Artikey reads the backdated iat as a server clock 80 s behind; forget that, so the token is 80 s old by our clock.
    const state = JSON.parse(readFileSync(env.ARTIKEY_STATE_FILE, 'utf8')) as {
      instances: { clockOffsetSeconds: number }[];
    };
    for (const instance of state.instances) instance.clockOffsetSeconds = 0;
    writeFileSync(env.ARTIKEY_STATE_FILE, JSON.stringify(state));
    if (login.code !== 0) throw new Error('login failed');
    const before = fake.tokens.refreshCount;
    // A long-running refresher (the agent) races the twenty short-lived processes.
    const agent = spawn(process.execPath, [`${root}dist/cli/artikey.js`, 'agent'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let agentOutput = '';
    agent.stdout.on('data', (chunk: Buffer) => (agentOutput += chunk.toString()));
    const agentClosed = new Promise((resolve) => agent.on('close', resolve));
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? run('docker-credential-artikey.cjs', ['get'], fake.host)
          : run('artikey.js', ['token', fake.host]),
      ),
    );
    for (let i = 0; i < 200 && !agentOutput.includes('next refresh of'); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    agent.kill('SIGTERM');
    await agentClosed;
    const refreshes = fake.tokens.refreshCount - before;
    totalRefreshes += refreshes;
    const answers = new Set(
      runs.map((r, i) =>
        r.code !== 0
          ? `failed ${i}`
          : i % 2 === 0
            ? (JSON.parse(r.stdout) as { Secret: string }).Secret
            : r.stdout.trim(),
      ),
    );
    if (refreshes === 1 && answers.size === 1) exactlyOne++;
    // The session survives when the stored refresh token still works.
    if ((await run('artikey.js', ['refresh', fake.host])).code !== 0) lost++;
  }
} finally {
  await run('artikey.js', ['logout', fake.host]);
  await fake.stop();
  rmSync(home, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({ rounds, processesPerRound: 20, plusAgent: true, roundsWithExactlyOneRefresh: exactlyOne, refreshesPerRound: totalRefreshes / rounds, sessionsLost: lost })}\n`,
);
