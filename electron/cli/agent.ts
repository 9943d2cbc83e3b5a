import { dirname } from 'node:path';
import type { Artikey } from '../core/artikey.js';
import { agentSocketPath, serveAgent, type AgentReply } from '../core/agent-socket.js';
import { DOCKER_MARGIN_SECONDS, freshEnough } from '../core/docker-lookup.js';
import { errorCode } from '../core/errors.js';
import { RefreshScheduler } from '../core/refresh-scheduler.js';
import { redact } from '../core/logger.js';
import { expiryPhrase } from './format.js';
import type { CliIo } from './run.js';

/** A wall-clock jump this large between two heartbeats means the machine slept or the clock moved. */
const JUMP_MS = 90_000;
const HEARTBEAT_MS = 30_000;

/**
 * `artikey agent`: the refresh engine without the desktop app, for servers and terminals. It
 * refreshes every token before it expires (rewriting the tool files that hold a copy), prints
 * each notice once, and re-plans after sleep or a clock change. Runs until Ctrl+C or SIGTERM.
 */
export async function agentCommand(
  artikey: Artikey,
  io: CliIo,
  signal: AbortSignal,
  stateFile: string,
): Promise<number> {
  const say = (text: string): void => void io.stdout.write(`${new Date().toISOString()} ${text}\n`);
  let noticeTimer: NodeJS.Timeout | undefined;
  const scheduler = new RefreshScheduler({
    host: artikey,
    logger: { info: () => undefined, warn: (m) => say(redact(m)), error: (m) => say(redact(m)) },
    onRefreshed: (view) => {
      say(`refreshed ${view.name}; the new token ${expiryPhrase(view)}`);
      void showNotices();
    },
    onFailed: (id, code, message) => {
      say(`refresh of ${id} failed: ${redact(message)} [${code}]`);
      void showNotices();
    },
  });
  const showNotices = async (): Promise<void> => {
    const plan = await artikey.notices();
    for (const notice of plan.due)
      say(
        `NOTICE ${notice.title}: ${notice.body}${notice.actions.includes('log-in-again') ? ' (artikey login <url>)' : ''}`,
      );
    await artikey.markNoticesShown(plan.due);
    clearTimeout(noticeTimer);
    if (plan.nextWakeAt !== null)
      noticeTimer = setTimeout(
        () => void showNotices(),
        Math.min(Math.max(plan.nextWakeAt * 1000 - Date.now(), 1000), 2 ** 31 - 1),
      );
  };

  const socketPath = agentSocketPath(dirname(stateFile), io.platform);
  const server = await serveAgent(socketPath, (request) => dockerAnswer(artikey, request.server));

  const views = await artikey.list();
  say(
    `Artikey agent: keeping ${views.length} instance${views.length === 1 ? '' : 's'} fresh. Ctrl+C to stop.`,
  );
  await scheduler.recheck();
  await showNotices();
  for (const [id, at] of scheduler.nextRefreshes())
    say(`next refresh of ${id} at ${new Date(at * 1000).toISOString()}`);

  // Node has no power events: a heartbeat that sees time jump means sleep/resume or a clock change.
  let last = Date.now();
  const heartbeat = setInterval(() => {
    const now = Date.now();
    if (Math.abs(now - last - HEARTBEAT_MS) > JUMP_MS) {
      say('the clock jumped (sleep or a time change); checking every token again');
      void scheduler.recheck().then(showNotices);
    }
    last = now;
  }, HEARTBEAT_MS);

  await new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  clearInterval(heartbeat);
  clearTimeout(noticeTimer);
  scheduler.stop();
  await new Promise((resolve) => server.close(resolve));
  say('stopped');
  return 0;
}

/**
 * The Docker helper's question, answered from memory while the token is fresh: the keychain is
 * read once per token, not once per pull.
 */
const remembered = new Map<string, { facts: string; username: string; secret: string }>();

async function dockerAnswer(artikey: Artikey, server: string): Promise<AgentReply> {
  try {
    const view = await artikey.dockerInstance(server);
    if (!view) return { ok: true, answer: null };
    const facts = JSON.stringify(view.token);
    const known = remembered.get(view.id);
    if (
      known?.facts === facts &&
      freshEnough(
        view.token,
        Math.floor(Date.now() / 1000) + view.clockOffsetSeconds,
        DOCKER_MARGIN_SECONDS,
      )
    )
      return { ok: true, answer: { username: known.username, secret: known.secret } };
    const credentials = await artikey.dockerCredentials(server);
    if (!credentials) return { ok: true, answer: null };
    const current = await artikey.instance(credentials.instance);
    remembered.set(current.id, {
      facts: JSON.stringify(current.token),
      username: credentials.username,
      secret: credentials.secret,
    });
    return { ok: true, answer: { username: credentials.username, secret: credentials.secret } };
  } catch (error) {
    return { ok: false, code: errorCode(error), message: (error as Error).message };
  }
}
