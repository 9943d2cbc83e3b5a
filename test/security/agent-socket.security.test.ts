import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_LIMITS, askAgent } from '../../electron/core/agent-socket.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { runClient, scratchHome, type ClientRun } from '../support/clients.js';
import { testService } from '../support/keychain.js';

/**
 * Threat: another local process of the same user wedges `artikey agent` (and with it the Docker
 * helper's socket, which the desktop app serves with the same code): it holds a thousand idle
 * connections, trickles a request one byte at a time, or stops the keyring daemon so that every
 * keychain call hangs. The agent must keep answering what it can, stay within a bounded number
 * of file descriptors, and stop promptly on SIGTERM whoever is connected.
 */
describe('agent socket under a hostile local process', () => {
  const cli = `${root}dist/cli/artikey.js`;
  const helper = `${root}dist/cli/docker-credential-artikey.js`;
  /** A hang guard, not a speed requirement. */
  const PROMPT_EXIT_MS = 10_000;
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  let socketPath: string;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    env = {
      ...scratch.env,
      XDG_CONFIG_HOME: join(scratch.home, '.config'),
      ARTIKEY_KEYCHAIN_SERVICE: testService(),
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      NO_COLOR: '1',
    };
    socketPath = join(scratch.home, '.config', 'artikey', 'agent.sock');
    const login = await artikey(
      ['login', fake.url, '--user', DEMO_USER.name, '--password-stdin'],
      DEMO_USER.password,
    );
    expect(login.code, login.stderr).toBe(0);
  });
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  it('1,100 idle connections: the Docker helper still answers, the agent keeps few descriptors and stops on SIGTERM', async () => {
    const agent = await startAgent(process.execPath, [cli, 'agent'], env);
    const idle = await openIdle(socketPath, 1100);
    try {
      const descriptors = readdirSync(`/proc/${agent.child.pid}/fd`).length;
      const get = await runClient(process.execPath, [helper, 'get'], {
        env,
        input: fake.host,
        timeoutMs: 60_000,
      });
      expect(get.code, get.stdout).toBe(0);
      const token = (await artikey(['token', fake.host])).stdout.trim();
      expect(JSON.parse(get.stdout)).toEqual({
        ServerURL: fake.host,
        Username: DEMO_USER.name,
        Secret: token,
      });
      // The cap, plus what the agent holds anyway: far below the 1,024 where select() breaks.
      expect(descriptors).toBeLessThan(AGENT_LIMITS.maxConnections + 100);
      expect(await agent.stop(PROMPT_EXIT_MS)).toBe(0);
    } finally {
      for (const socket of idle) socket.destroy();
      agent.kill();
    }
  }, 120_000);

  it('a client that sends one byte a second and never a newline is cut off, and others are answered meanwhile', async () => {
    const agent = await startAgent(process.execPath, [cli, 'agent'], env);
    const slow = connect(socketPath);
    const cut = new Promise<boolean>((resolve) => {
      slow.on('close', () => resolve(true));
      slow.on('error', () => undefined);
    });
    const drip = setInterval(() => {
      if (!slow.destroyed) slow.write('{');
    }, 1000);
    try {
      const reply = await askAgent(socketPath, { op: 'docker-get', server: fake.host });
      expect(reply).toMatchObject({ ok: true, answer: { username: DEMO_USER.name } });
      const outcome = await Promise.race([cut, delay(15_000).then(() => false)]);
      expect(outcome, 'the slow client was still connected after 15 s').toBe(true);
      expect(await agent.stop(PROMPT_EXIT_MS)).toBe(0);
    } finally {
      clearInterval(drip);
      slow.destroy();
      agent.kill();
    }
  }, 60_000);

  it('SIGTERM with clients connected (idle, and mid-request) exits promptly', async () => {
    const agent = await startAgent(process.execPath, [cli, 'agent'], env);
    const idle = await openIdle(socketPath, 5);
    for (const socket of idle.slice(0, 2)) socket.write('{"op":"docker-get",');
    try {
      expect(await agent.stop(PROMPT_EXIT_MS)).toBe(0);
    } finally {
      for (const socket of idle) socket.destroy();
      agent.kill();
    }
  }, 30_000);
});

interface RunningAgent {
  child: ChildProcess;
  /** The process that gets SIGTERM: the agent, by default the child itself. */
  target: number;
  output: () => string;
  /** SIGTERM; resolves with the exit code, or null when it has not exited within `withinMs`. */
  stop: (withinMs: number) => Promise<number | null>;
  kill: () => void;
}

/** Starts the agent and waits until it serves (it prints its plan once the socket is up). */
async function startAgent(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<RunningAgent> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let i = 0; i < 600 && !output.includes('next refresh of'); i++) await delay(50);
  if (!output.includes('next refresh of')) throw new Error(`the agent did not start:\n${output}`);
  const agent: RunningAgent = {
    child,
    target: child.pid ?? 0,
    output: () => output,
    stop: (withinMs) => {
      process.kill(agent.target, 'SIGTERM');
      return Promise.race([closed, delay(withinMs).then(() => null)]);
    },
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      for (const pid of new Set([agent.target, child.pid ?? 0]))
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
    },
  };
  return agent;
}

/** Connections that never send anything, all connected before this resolves. */
async function openIdle(path: string, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, () => {
      const socket = connect(path);
      socket.on('error', () => undefined);
      sockets.push(socket);
      return new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
