import { chmod, mkdir, rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';

export { agentSocketPath } from './agent-socket-path.js';

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

/** Limits that keep one misbehaving local process from wedging the agent. */
export interface AgentLimits {
  /** Connections served at once; more are told `agent-busy` and closed. */
  maxConnections: number;
  /** From connecting to a complete request line: idle and one-byte-a-second clients are cut off. */
  requestDeadlineMs: number;
}

/**
 * The Docker helper opens one short connection per pull, so even a parallel `docker compose
 * pull` stays far below the cap; the cap keeps the agent's descriptors far below the 1,024 that
 * select()-based libraries in the same process can handle.
 */
export const AGENT_LIMITS: AgentLimits = { maxConnections: 64, requestDeadlineMs: 2000 };

export interface AgentServer {
  /** Stops listening and drops every connection, so stopping never waits on a client. */
  close(): Promise<void>;
}

/** Serves requests until closed; a stale socket file from a crashed agent is replaced. */
export async function serveAgent(
  path: string,
  answer: (request: AgentRequest) => Promise<AgentReply>,
  limits: AgentLimits = AGENT_LIMITS,
): Promise<AgentServer> {
  if (!path.startsWith('\\\\.\\pipe\\')) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    if (await agentAnswers(path))
      throw Object.assign(new Error(`Another Artikey agent is already serving ${path}.`), {
        code: 'agent-running',
      });
    await rm(path, { force: true });
  }
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (open.size >= limits.maxConnections) return void send(socket, BUSY);
    open.add(socket);
    const deadline = setTimeout(() => socket.destroy(), limits.requestDeadlineMs);
    socket.on('close', () => {
      open.delete(socket);
      clearTimeout(deadline);
    });
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 4096) return void socket.destroy();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(deadline);
      // One request per connection: whatever follows the line is not read.
      socket.pause();
      void reply(buffer.slice(0, newline)).then((text) => send(socket, text));
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
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}

const BUSY = JSON.stringify({
  ok: false,
  code: 'agent-busy',
  message: 'the agent is serving too many connections; ask the keychain directly',
} satisfies AgentReply);

/** One reply line, then the connection is gone, even when the client never closes its end. */
function send(socket: Socket, text: string): void {
  if (socket.destroyed) return;
  socket.end(`${text}\n`, () => socket.destroy());
}

/** Asks the agent; null when none answers (not running, stale socket, too slow, too busy). */
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
        const reply = JSON.parse(text) as AgentReply;
        done(!reply.ok && reply.code === 'agent-busy' ? null : reply);
      } catch {
        done(null);
      }
    });
    socket.on('error', () => done(null));
  });
}

/** Whether an Artikey (the app or `artikey agent`) answers on the socket: it then refreshes tokens on time. */
export function agentAnswers(path: string): Promise<boolean> {
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
