import type { Artikey } from '../core/artikey.js';
import { startBackground } from '../core/background.js';
import { redact } from '../core/logger.js';
import { expiryPhrase } from './format.js';
import type { CliIo } from './cli-io.js';

/**
 * `artikey agent`: the refresh engine without the desktop app, for servers and terminals. It
 * refreshes every token before it expires (rewriting the tool files that hold a copy), prints
 * each notice once, and re-plans after sleep or a clock change. Runs until Ctrl+C or SIGTERM;
 * a stop that comes during a refresh (even the first, while starting) lets it finish, then exits.
 */
export async function agentCommand(
  artikey: Artikey,
  io: CliIo,
  signal: AbortSignal,
  stateFile: string,
  json = false,
): Promise<number> {
  const say = eventWriter(io, json);
  if (signal.aborted) return 0;
  const background = await startBackground({
    artikey,
    stateFile,
    platform: io.platform,
    // The app or another agent already does all of this.
    exclusive: true,
    logger: {
      info: () => undefined,
      warn: (m) => say('warning', redact(m)),
      error: (m) => say('error', redact(m)),
    },
    showNotice: async (notice) =>
      say(
        'notice',
        `NOTICE ${notice.title}: ${notice.body}${notice.actions.includes('log-in-again') ? ' (artikey login <url>)' : ''}`,
        {
          instanceId: notice.instanceId,
          instance: await nameOf(artikey, notice.instanceId),
          title: notice.title,
          body: notice.body,
        },
      ),
    onRefreshed: (view) =>
      say('refreshed', `refreshed ${view.name}; the new token ${expiryPhrase(view)}`, {
        instanceId: view.id,
        instance: view.name,
        expiresAt: view.token.expiresAt,
      }),
    onFailed: (id, code, message, name) =>
      say('refresh-failed', `refresh of ${name} failed: ${redact(message)} [${code}]`, {
        instanceId: id,
        instance: name,
        code,
      }),
    onClockJump: () =>
      say('clock-jump', 'the clock jumped (sleep or a time change); checking every token again'),
  });
  const views = await artikey.list();
  say(
    'started',
    `Artikey agent: keeping ${views.length} instance${views.length === 1 ? '' : 's'} fresh. Ctrl+C to stop.`,
    { instances: views.length },
  );
  const names = new Map(views.map((view) => [view.id, view.name]));
  for (const [id, at] of background.nextRefreshes()) {
    const name = names.get(id) ?? (await nameOf(artikey, id));
    say('next-refresh', `next refresh of ${name} at ${new Date(at * 1000).toISOString()}`, {
      instanceId: id,
      instance: name,
      at,
    });
  }

  await aborted(signal);
  await background.stop();
  await artikey.settle();
  say('stopped', 'stopped');
  return 0;
}

/**
 * One line per event: the time and the sentence for a person, or with --json one object a
 * script can read, {"time", "event", "message", …the event's facts}.
 */
function eventWriter(
  io: CliIo,
  json: boolean,
): (event: string, message: string, facts?: Record<string, unknown>) => void {
  return (event, message, facts = {}) => {
    const time = new Date().toISOString();
    io.stdout.write(
      json ? `${JSON.stringify({ time, event, message, ...facts })}\n` : `${time} ${message}\n`,
    );
  };
}

/** The name the person gave an instance; its id when it was logged out meanwhile. */
async function nameOf(artikey: Artikey, id: string): Promise<string> {
  return artikey.instance(id).then(
    (view) => view.name,
    () => id,
  );
}

/** Resolves once the signal is aborted: at once when that happened already (no event follows). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
