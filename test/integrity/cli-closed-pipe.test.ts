import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';

/**
 * Issue 17: `artikey status X | head -1` printed an EPIPE stack trace in 8 runs of 10. A reader
 * that stops reading is no error: like npm, the CLI stays quiet, finishes what it was doing and
 * exits with its own status (git is killed by SIGPIPE instead, which the shell reports as 141).
 */
const RUNS = 20;

interface Truncated {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

describe('artikey writing to a pipe whose reader closed', { timeout: 180_000 }, () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const cli = `${root}dist/cli/artikey.js`;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });

  /** Runs the built CLI with stdout on a real pipe whose reader closes it after the first line, as `| head -1` does. */
  const headOne = (args: string[]): Promise<Truncated> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({ code, signal, firstLine: out.split('\n')[0] ?? '', stderr }),
      );
    });

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    env = artikeyEnv(scratch);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const login = await artikey(['login', fake.url, '--token', '--name', 'demo'], token);
    expect(login.code, login.stderr).toBe(0);
  });
  afterAll(async () => {
    await artikey(['logout', 'demo']);
    await fake.stop();
    scratch.cleanup();
  });

  it.each([
    ['status demo', ['status', 'demo'], /^Instance:\s+demo/],
    ['--help', ['--help'], /^artikey/],
    ['status demo --help', ['status', 'demo', '--help'], /^Usage: artikey status/],
  ])(
    `%s | head -1, ${RUNS} times: the first line, no stack trace, exit 0`,
    async (_, args, first) => {
      const runs: Truncated[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await headOne(args));
      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.firstLine).toMatch(first);
        expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
      }
    },
  );
});
