import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testService } from './keychain.js';

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Killed at `timeoutMs`, not ended by itself. */
  timedOut?: boolean;
}

/** Fails (never skips) when a real client is missing: CI installs them, see .ci/run. */
export function requireClient(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${name} is not installed; the real-client tests need it (see .ci/run for the packages).`,
    );
  }
}

/** Runs a real client program with an isolated environment; resolves with its exit code and output. */
export function runClient(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number },
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A scratch HOME with the usual sub-folders; removed by cleanup(). */
export function scratchHome(): { home: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'artikey-client-'));
  const runtime = join(home, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  mkdirSync(join(home, '.docker'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    DOCKER_CONFIG: join(home, '.docker'),
    // skopeo reads $XDG_RUNTIME_DIR/containers/auth.json before anything else: keep it empty.
    XDG_RUNTIME_DIR: runtime,
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
  };
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * The environment of a built `artikey` (or its agent or Docker helper) in a scratch home: its
 * own configuration folder, a keychain service of its own in this session's private keyring,
 * and no colour in its output.
 */
export function artikeyEnv(scratch: { home: string; env: NodeJS.ProcessEnv }): NodeJS.ProcessEnv {
  return {
    ...scratch.env,
    XDG_CONFIG_HOME: join(scratch.home, '.config'),
    ARTIKEY_KEYCHAIN_SERVICE: testService(),
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    NO_COLOR: '1',
  };
}

export interface RunningAgent {
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Waits (about a minute at most) until it has printed `text`. */
  printed(text: string): Promise<void>;
  /**
   * Sends SIGTERM and resolves with the exit code; a process still alive after `hangGuardMs` is
   * killed and reported as 'hung', so a test never waits on it forever.
   */
  stop(hangGuardMs?: number): Promise<number | null | 'hung'>;
}

/** The built `artikey agent` in the background, with the environment given (see artikeyEnv). */
export function spawnAgent(env: NodeJS.ProcessEnv): RunningAgent {
  const agent = spawn(
    process.execPath,
    [`${new URL('../..', import.meta.url).pathname}dist/cli/artikey.js`, 'agent'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  agent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  agent.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => agent.on('close', resolve));
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    output: () => output,
    printed: async (text) => {
      for (let i = 0; i < 2400 && !output.includes(text); i++) await pause(25);
    },
    stop: async (hangGuardMs = 30_000) => {
      agent.kill('SIGTERM');
      const outcome = await Promise.race([closed, pause(hangGuardMs).then(() => 'hung' as const)]);
      if (outcome !== 'hung') return outcome;
      agent.kill('SIGKILL');
      await closed;
      return 'hung';
    },
  };
}
