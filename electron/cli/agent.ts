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
): Promise<number> {
  const say = (text: string): void => void io.stdout.write(`${new Date().toISOString()} ${text}\n`);
  if (signal.aborted) return 0;
  const background = await startBackground({
    artikey,
    stateFile,
    platform: io.platform,
    // The app or another agent already does all of this.
    exclusive: true,
    logger: { info: () => undefined, warn: (m) => say(redact(m)), error: (m) => say(redact(m)) },
    showNotice: (notice) =>
      say(
        `NOTICE ${notice.title}: ${notice.body}${notice.actions.includes('log-in-again') ? ' (artikey login <url>)' : ''}`,
      ),
    onRefreshed: (view) => say(`refreshed ${view.name}; the new token ${expiryPhrase(view)}`),
    onFailed: (id, code, message) => say(`refresh of ${id} failed: ${redact(message)} [${code}]`),
    onClockJump: () => say('the clock jumped (sleep or a time change); checking every token again'),
  });
  const views = await artikey.list();
  say(
    `Artikey agent: keeping ${views.length} instance${views.length === 1 ? '' : 's'} fresh. Ctrl+C to stop.`,
  );
  for (const [id, at] of background.nextRefreshes())
    say(`next refresh of ${id} at ${new Date(at * 1000).toISOString()}`);

  await aborted(signal);
  await background.stop();
  await artikey.settle();
  say('stopped');
  return 0;
}

/** Resolves once the signal is aborted: at once when that happened already (no event follows). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
