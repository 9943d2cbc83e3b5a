import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName, type JsonShape } from '../../electron/cli/commands.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';
import { runInProcess } from '../support/in-process-cli.js';

/**
 * Issue 17: `--json` works for every command. Each prints, on stdout, JSON of the shape its
 * definition documents (and its help shows); `agent` one object per line; any failure exactly
 * one line {"error":{"code","message"}} on stderr, with the documented exit code.
 */
const cli = `${root}dist/cli/artikey.js`;

/** The objects a command's stdout holds, checked against the shape its definition documents. */
function parsedAs(shape: JsonShape, stdout: string): Record<string, unknown>[] {
  if (shape.kind === 'lines') {
    const lines = stdout.trimEnd().split('\n');
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  expect(stdout.endsWith('\n') && !stdout.trimEnd().includes('\n')).toBe(true);
  const value = JSON.parse(stdout) as unknown;
  expect(Array.isArray(value)).toBe(shape.kind === 'array');
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

describe(
  '--json for every command, against the fake Artifactory and the real keychain',
  { timeout: 240_000 },
  () => {
    let fake: FakeArtifactory;
    let scratch: ReturnType<typeof scratchHome>;
    let env: NodeJS.ProcessEnv;
    /** Agents not yet exited: a failed test must not leave one running. */
    const agents = new Set<ChildProcess>();
    const artikey = (args: string[], input = ''): Promise<ClientRun> =>
      runClient(process.execPath, [cli, ...args], { env, input });

    /** The agent runs until stopped: started, given time to plan, then SIGTERM. */
    const agentRun = (): Promise<ClientRun> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, 'agent', '--json'], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        agents.add(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          // Stopped once it has started (its first line); once: a second SIGTERM stops it the hard way.
          if (stdout.includes('\n') && !child.killed) child.kill('SIGTERM');
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          agents.delete(child);
          resolve({ code: code ?? -1, stdout, stderr });
        });
      });

    beforeAll(async () => {
      ensureBuilt();
      fake = await startFakeArtifactory();
      scratch = scratchHome();
      env = artikeyEnv(scratch);
    });
    afterAll(async () => {
      for (const agent of agents) agent.kill('SIGKILL');
      await artikey(['logout', 'demo']);
      await fake.stop();
      scratch.cleanup();
    });

    it('every command prints JSON of its documented shape', async () => {
      const other = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 });
      // In the order they can run in; logout last. Every command of the CLI must be here.
      const cases: [CommandName, () => Promise<ClientRun>][] = [
        [
          'login',
          () =>
            artikey(
              ['login', fake.url, '--token', '--name=demo', '--json'],
              fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt,
            ),
        ],
        ['list', () => artikey(['list', '--json'])],
        ['status', () => artikey(['status', 'demo', '--json'])],
        ['refresh', () => artikey(['refresh', 'demo', '--json'])],
        ['token', () => artikey(['token', 'demo', '--json'])],
        ['rename', () => artikey(['rename', 'demo', 'demo', '--json'])],
        ['revoke', () => artikey(['revoke', 'demo', '--token-id', other.id, '--json'])],
        ['configure', () => artikey(['configure', 'netrc', 'demo', '--json'])],
        ['unconfigure', () => artikey(['unconfigure', 'netrc', 'demo', '--json'])],
        ['setup', () => artikey(['setup', 'demo', '--tools', 'netrc', '--dry-run', '--json'])],
        ['scan', () => artikey(['scan', '--json'])],
        ['migrate', () => artikey(['migrate', 'demo', '--json'])],
        ['backups', () => artikey(['backups', '--json'])],
        ['doctor', () => artikey(['doctor', '--json'])],
        ['agent', agentRun],
        ['help', () => artikey(['help', 'login', '--json'])],
        ['logout', () => artikey(['logout', 'demo', '--json'])],
      ];
      expect(cases.map(([name]) => name).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
      for (const [name, run] of cases) {
        const spec = COMMANDS.find((c) => c.name === name)!;
        const result = await run();
        expect({ name, code: result.code, stderr: result.stderr }).toEqual({
          name,
          code: 0,
          stderr: '',
        });
        for (const object of parsedAs(spec.json, result.stdout))
          for (const key of spec.json.keys) expect(object, `${name}: ${key}`).toHaveProperty(key);
      }
    });

    it('agent --json: one object per event, from started to stopped', async () => {
      const run = await agentRun();
      expect(run.code, run.stderr).toBe(0);
      const events = run.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events[0]).toBe('started');
      expect(events.at(-1)).toBe('stopped');
    });

    it('--version --json is an object with the version', async () => {
      const run = await artikey(['--version', '--json']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    });

    it('a failure is one line {"error":{"code","message"}} on stderr, with its exit code; without --json, words', async () => {
      const missing = await artikey(['status', 'nope.example', '--json']);
      expect(missing.code).toBe(3);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/^[^\n]+\n$/);
      expect(JSON.parse(missing.stderr)).toEqual({
        error: { code: 'instance-not-found', message: expect.stringContaining('nope.example') },
      });
      const human = await artikey(['status', 'nope.example']);
      expect(human.stderr).toMatch(
        /^artikey: No instance "nope\.example".*\[instance-not-found\]\n$/,
      );
    });

    it.each(COMMANDS.map((c) => [c.name]))(
      '%s --json with a wrong option: one JSON error line, exit 2',
      async (name) => {
        const run = await runInProcess([name, '--bogus', '--json']);
        expect(run).toMatchObject({ code: 2, stdout: '' });
        expect(run.stderr).toBe(
          `${JSON.stringify({ error: { code: 'usage', message: `unknown option --bogus; see artikey ${name} --help` } })}\n`,
        );
      },
    );
  },
);
