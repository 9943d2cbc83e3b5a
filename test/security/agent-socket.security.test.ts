import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_LIMITS, askAgent, type AgentReply } from '../../electron/core/agent-socket.js';
import { KEYCHAIN_TIMEOUT_MS } from '../../electron/core/keychain-process.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';

/**
 * Threat: another local process of the same user wedges `artikey agent` (and with it the Docker
 * helper's socket, which the desktop app serves with the same code): it holds a thousand idle
 * connections, trickles a request one byte at a time, or stops the keyring daemon so that every
 * keychain call hangs. The agent must keep answering what it can, stay within a bounded number
 * of file descriptors, and stop promptly on SIGTERM whoever is connected.
 */
describe('agent socket under a hostile local process', () => {
  const cli = `${root}dist/cli/artikey.js`;
  const helper = `${root}dist/cli/docker-credential-artikey.cjs`;
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
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
    socketPath = join(scratch.home, '.config', 'artikey', 'agent.sock');
    const login = await artikey(['login', fake.url, '--no-browser']);
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

  it('a stopped keyring daemon: answers from memory continue, keychain reads fail clearly in time, SIGTERM exits', async () => {
    const other = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    const session = mkdtempSync(join(tmpdir(), 'artikey-stopped-keyring-'));
    const runtime = join(session, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    const sessionEnv: NodeJS.ProcessEnv = {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      XDG_DATA_HOME: join(session, 'data'),
      XDG_RUNTIME_DIR: runtime,
      HOME: join(session, 'home'),
      XDG_CONFIG_HOME: join(session, 'home', '.config'),
      KEYRING_PASSWORD: 'artikey-nested-keyring',
    };
    mkdirSync(join(session, 'home'));
    // Its own D-Bus session and unlocked keyring, logged in to two instances, then the agent.
    const script = `
      set -e
      eval "$(printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"
      for url in ${fake.url} ${other.url}; do
        "$NODE" "$CLI" login "$url" --no-browser
      done
      exec "$NODE" "$CLI" agent`;
    const agent = await startAgent('dbus-run-session', ['--', 'sh', '-c', script], {
      ...sessionEnv,
      NODE: process.execPath,
      CLI: cli,
    });
    const nestedSocket = join(session, 'home', '.config', 'artikey', 'agent.sock');
    const daemon = processOf(runtime, (comm) => comm === 'gnome-keyring-d');
    // Signals go to the agent itself, not to dbus-run-session (which ends when the agent does).
    agent.target = processOf(runtime, (_comm, argv) => argv.endsWith(`${cli}\0agent\0`));
    try {
      const warm = await askAgent(nestedSocket, { op: 'docker-get', server: fake.host }, 20_000);
      expect(warm, agent.output()).toMatchObject({
        ok: true,
        answer: { username: DEMO_USER.name },
      });

      process.kill(daemon, 'SIGSTOP');
      // Three requests that need the keychain (the other instance was never read), then one the
      // agent holds in memory: it must come back within the Docker helper's own patience.
      const started = Date.now();
      const needKeychain = [1, 2, 3].map(() =>
        askAgent(nestedSocket, { op: 'docker-get', server: other.host }, KEYCHAIN_TIMEOUT_MS * 4),
      );
      await delay(50);
      const fromMemory = await askAgent(nestedSocket, { op: 'docker-get', server: fake.host });
      expect(fromMemory).toEqual(warm);
      // D-Bus gives up after two seconds, asked three times, before the agent's own per-call
      // timeout; which code the library's "Did not receive a reply" maps to is keychainError's business.
      for (const reply of await Promise.all(needKeychain)) {
        expect(reply).toMatchObject({ ok: false, code: expect.stringMatching(/^keychain-/) });
        expect((reply as AgentReply & { ok: false }).message).toMatch(/keychain|keyring/i);
      }
      expect(Date.now() - started).toBeLessThan(KEYCHAIN_TIMEOUT_MS * 3);
      expect(await agent.stop(PROMPT_EXIT_MS)).toBe(0);
    } finally {
      process.kill(daemon, 'SIGCONT');
      agent.kill();
      try {
        process.kill(daemon, 'SIGTERM');
      } catch {
        // already gone with its bus
      }
      await other.stop();
      rmSync(session, { recursive: true, force: true });
    }
  }, 120_000);
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

/** The process of the nested session (its XDG_RUNTIME_DIR is `runtime`) that `matches`. */
function processOf(runtime: string, matches: (comm: string, argv: string) => boolean): number {
  const marker = `XDG_RUNTIME_DIR=${runtime}\0`;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!matches(comm, readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker)) return Number(pid);
    } catch {
      // a process that ended meanwhile, or another user's
    }
  }
  throw new Error(`no such process in the session of ${runtime}`);
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
