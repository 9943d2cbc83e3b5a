import { chmod, mkdir, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * A local socket on which a long-running Artikey (the desktop app or `artikey agent`) answers
 * the Docker credential helper from memory, so a `docker pull` costs the helper one round trip
 * instead of a keychain session. Only the user can reach it: a Unix socket in the user's 0700
 * configuration folder, mode 0600 (on Windows a named pipe, which is per-user by default ACL).
 * The keychain on these platforms grants the same user the same secrets, so nothing is widened.
 */
export interface DockerAnswer {
  username: string;
  secret: string;
}

export type AgentRequest = { op: 'docker-get'; server: string };
export type AgentReply =
  { ok: true; answer: DockerAnswer | null } | { ok: false; code: string; message: string };

export function agentSocketPath(
  appDataDir: string,
  platform: NodeJS.Platform = process.platform,
  user = process.env['USERNAME'] ?? 'user',
): string {
  return platform === 'win32'
    ? `\\\\.\\pipe\\artikey-${user.replace(/[^\w.-]/g, '_')}`
    : join(appDataDir, 'agent.sock');
}

/** Serves requests until closed; a stale socket file from a crashed agent is replaced. */
export async function serveAgent(
  path: string,
  answer: (request: AgentRequest) => Promise<AgentReply>,
): Promise<Server> {
  if (!path.startsWith('\\\\.\\pipe\\')) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    if (await reachable(path))
      throw Object.assign(new Error(`Another Artikey agent is already serving ${path}.`), {
        code: 'agent-running',
      });
    await rm(path, { force: true });
  }
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 4096) return void socket.destroy();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      buffer = '';
      void reply(line).then((text) => socket.end(`${text}\n`));
    });
  });
  const reply = async (line: string): Promise<string> => {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return JSON.stringify({
        ok: false,
        code: 'bad-request',
        message: 'not JSON',
      } satisfies AgentReply);
    }
    if (!isRequest(request))
      return JSON.stringify({
        ok: false,
        code: 'bad-request',
        message: 'unknown request',
      } satisfies AgentReply);
    return JSON.stringify(
      await answer(request).catch(
        (error: unknown) =>
          ({ ok: false, code: 'internal', message: (error as Error).message }) satisfies AgentReply,
      ),
    );
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  if (!path.startsWith('\\\\.\\pipe\\')) await chmod(path, 0o600);
  return server;
}

/** Asks the agent; null when none answers (not running, stale socket, too slow). */
export function askAgent(
  path: string,
  request: AgentRequest,
  timeoutMs = 2000,
): Promise<AgentReply | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let text = '';
    const done = (reply: AgentReply | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      try {
        done(JSON.parse(text) as AgentReply);
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
  });
}

function reachable(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const isRequest = (value: unknown): value is AgentRequest =>
  typeof value === 'object' &&
  value !== null &&
  (value as { op?: unknown }).op === 'docker-get' &&
  typeof (value as { server?: unknown }).server === 'string';
