import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../support/built.js';

/**
 * `npm run demo` is three processes (npm, the shell it runs the script in, the server's node); stopping it the two
 * usual ways must stop the server too: Ctrl-C in its terminal (SIGINT to the whole foreground
 * process group) and `kill <npm's pid>` (SIGTERM to npm alone). Real processes, real signals.
 */
describe('stopping npm run demo', () => {
  let group: number | undefined;
  afterEach(() => {
    // Whatever a failed check left behind: this test's own process group, by its id.
    if (group !== undefined && groupAlive(group)) process.kill(-group, 'SIGKILL');
    group = undefined;
  });

  const groupAlive = (id: number): boolean => {
    try {
      process.kill(-id, 0);
      return true;
    } catch {
      return false;
    }
  };
  const portOpen = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  /** Starts the demo in a process group of its own, as a terminal would; resolves with its port and banner. */
  async function startDemo(): Promise<{ npm: ChildProcess; port: number; banner: () => string }> {
    const npm = spawn('npm', ['run', 'demo', '--', '--port', '0', '--quiet'], {
      cwd: root,
      detached: true,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    group = npm.pid;
    let output = '';
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 600 && !output.includes('Press Ctrl+C to stop.'); i++) await pause(50);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(port, output).toBeGreaterThan(0);
    expect(await portOpen(port)).toBe(true);
    return { npm, port, banner: () => output };
  }

  /** Polls for up to ten seconds: the server's port closed and every process of the group gone. */
  async function stopped(
    port: number,
    id: number,
  ): Promise<{ portOpen: boolean; processesLeft: boolean }> {
    for (let i = 0; i < 200 && (groupAlive(id) || (await portOpen(port))); i++) await pause(50);
    return { portOpen: await portOpen(port), processesLeft: groupAlive(id) };
  }

  it('Ctrl-C (SIGINT to the process group) stops npm and the server', async () => {
    const { npm, port, banner } = await startDemo();
    // The banner lists what can be fetched, with the command for this port (README's demo block).
    expect(banner()).toContain(
      `docker manifest inspect --insecure 127.0.0.1:${port}/docker-local/app:1.0`,
    );
    process.kill(-(npm.pid ?? 0), 'SIGINT');
    expect(await stopped(port, npm.pid ?? 0)).toEqual({ portOpen: false, processesLeft: false });
  }, 60_000);

  it("kill of npm's own pid (SIGTERM to npm alone) stops the server too", async () => {
    const { npm, port, banner } = await startDemo();
    process.kill(npm.pid ?? 0, 'SIGTERM');
    expect(await stopped(port, npm.pid ?? 0)).toEqual({ portOpen: false, processesLeft: false });
    expect(banner()).toMatch(/Stopped \(.+\)\.\n$/);
  }, 60_000);
});
