import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Artikey, InstanceView } from './artikey.js';
import { agentSocketPath, serveAgent, type AgentReply, type AgentServer } from './agent-socket.js';
import { DOCKER_MARGIN_SECONDS } from './docker-lookup.js';
import { ArtikeyError, errorCode } from './errors.js';
import type { Logger } from './logger.js';
import type { Notice } from './notices.js';
import { MAX_TIMER_MS, RefreshScheduler } from './refresh-scheduler.js';
import { tokenUse } from './token-use.js';

/**
 * What a long-running Artikey does while nobody looks: the desktop app and `artikey agent` both
 * run this. It refreshes every token before it expires, shows each due notice once, re-plans
 * when told the machine woke or the clock moved, and answers the Docker helper from memory.
 */
export interface BackgroundOptions {
  artikey: Artikey;
  /** The helper's socket lives beside it; changes to it from other processes are watched. */
  stateFile: string;
  platform?: NodeJS.Platform;
  logger: Logger;
  /** Shows one notice; it is marked as seen once this returns. */
  showNotice: (notice: Notice) => void | Promise<void>;
  onRefreshed?: (view: InstanceView) => void;
  onFailed?: (instanceId: string, code: string, message: string, name: string) => void;
  /** The wall clock jumped (sleep, or a time change); every token is re-checked just after. */
  onClockJump?: () => void;
  /** Refuse to run (code `agent-running`) when another Artikey serves the Docker helper. */
  exclusive?: boolean;
  /** The state file changed, perhaps by the CLI in another process (debounced). */
  onStateFileChanged?: () => void;
}

export interface Background {
  /** After sleep, unlock or a clock change: re-plan every token and notice now. */
  recheck(): Promise<void>;
  /** When each instance will next refresh (seconds since the epoch). */
  nextRefreshes(): Map<string, number>;
  /** False when another Artikey (app or agent) already serves the Docker helper. */
  servingDockerHelper: boolean;
  /** Clears every timer and closes the socket. */
  stop(): Promise<void>;
}

export async function startBackground(options: BackgroundOptions): Promise<Background> {
  const { artikey, logger } = options;
  // First, so that a second `artikey agent` stops before it does anything.
  let server: AgentServer | null = null;
  try {
    server = await serveAgent(
      agentSocketPath(dirname(options.stateFile), options.platform),
      (request) => dockerAnswer(artikey, request.server),
    );
  } catch (error) {
    if (errorCode(error) !== 'agent-running' || options.exclusive) throw error;
    logger.info('another Artikey already answers the Docker helper; leaving it to that one');
  }

  let noticeTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const showDueNotices = async (): Promise<void> => {
    if (stopped) return;
    const plan = await artikey.notices();
    const shown: Notice[] = [];
    for (const notice of plan.due) {
      try {
        await options.showNotice(notice);
        shown.push(notice);
      } catch (error) {
        logger.warn(`could not show the notice "${notice.title}": ${(error as Error).message}`);
      }
    }
    await artikey.markNoticesShown(shown);
    clearTimeout(noticeTimer);
    if (plan.nextWakeAt !== null && !stopped)
      noticeTimer = setTimeout(
        () => void showNotices().catch(complain),
        Math.min(Math.max(plan.nextWakeAt * 1000 - Date.now(), 1000), MAX_TIMER_MS),
      );
  };
  // One plan at a time: two runs overlapping (a timer and a wake, a refresh and a login) would
  // both find a notice not yet marked as seen and show it twice.
  let noticesDone: Promise<void> = Promise.resolve();
  const showNotices = (): Promise<void> => {
    const run = noticesDone.then(showDueNotices);
    noticesDone = run.catch(() => undefined);
    return run;
  };
  const complain = (error: unknown): void =>
    logger.warn(`checking notices failed: ${(error as Error).message}`);

  const scheduler = new RefreshScheduler({
    host: artikey,
    logger,
    onRefreshed: (view) => {
      options.onRefreshed?.(view);
      void showNotices().catch(complain);
    },
    onFailed: (id, code, message, name) => {
      options.onFailed?.(id, code, message, name);
      void showNotices().catch(complain);
    },
  });
  let planned = '';
  const recheck = async (): Promise<void> => {
    planned = planFacts(await artikey.list());
    await scheduler.recheck();
    await showNotices();
    void checkRevocations();
  };
  // A server may revoke a token at any time (an admin, the web UI, a sweep for leaked tokens):
  // each token is asked about once it has gone an hour unchecked — on a timer set for the first
  // to come due, and on every re-check (a wake, a login) — so the person hears it from Artikey
  // rather than from a failing pull. A revoked token stays revoked and is not asked about again.
  let revocationTimer: NodeJS.Timeout | undefined;
  let revocationsChecking: Promise<void> | null = null;
  const checkRevocations = (): Promise<void> =>
    (revocationsChecking ??= artikey
      .recheckRevocations(REVOCATION_MAX_AGE_SECONDS)
      .then(async (checked) => {
        if (!stopped && checked.some((detail) => detail.revocation.status === 'revoked'))
          await recheck();
      })
      .catch((error: unknown) =>
        logger.warn(`checking for revoked tokens failed: ${(error as Error).message}`),
      )
      .then(() => artikey.list())
      .then(planRevocationCheck, complain)
      .finally(() => (revocationsChecking = null)));
  const planRevocationCheck = (views: InstanceView[]): void => {
    clearTimeout(revocationTimer);
    const due = views
      .filter((view) => view.revocation.status !== 'revoked')
      .map((view) => (view.revocation.checkedAt ?? 0) + REVOCATION_MAX_AGE_SECONDS);
    if (stopped || due.length === 0) return;
    // Not sooner than a few minutes: a server that cannot answer is not asked again at once.
    const waitMs = Math.max(Math.min(...due) * 1000 - Date.now(), REVOCATION_RETRY_MS);
    revocationTimer = setTimeout(() => void checkRevocations(), Math.min(waitMs, MAX_TIMER_MS));
  };
  // New and removed instances need plans; a refresh re-plans itself.
  const unsubscribe = artikey.onChanged((change) => {
    if (change.reason === 'login' || change.reason === 'logout') void recheck().catch(complain);
  });
  // The CLI in another process changes the same state file: watch it, and tell the windows.
  // Only facts that change a plan trigger a re-plan: any other write (a rename, a notice marked
  // as seen) would otherwise cut short the backoff of a failing refresh.
  const watcher = watchStateFile(options.stateFile, () => {
    options.onStateFileChanged?.();
    void artikey
      .list()
      .then((views) => (planFacts(views) === planned ? undefined : recheck()))
      .catch(complain);
  });

  // Node has no clock-change event (and the agent no power events): a heartbeat that sees time
  // jump stands in for them.
  let last = Date.now();
  const heartbeat = setInterval(() => {
    const now = Date.now();
    if (Math.abs(now - last - HEARTBEAT_MS) > JUMP_MS) {
      options.onClockJump?.();
      void recheck().catch(complain);
    }
    last = now;
  }, HEARTBEAT_MS);

  const stop = async (): Promise<void> => {
    stopped = true;
    clearInterval(heartbeat);
    clearTimeout(revocationTimer);
    unsubscribe();
    watcher.close();
    clearTimeout(noticeTimer);
    scheduler.stop();
    await server?.close();
  };
  try {
    await recheck();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    recheck,
    nextRefreshes: () => scheduler.nextRefreshes(),
    servingDockerHelper: server !== null,
    stop,
  };
}

const planFacts = (views: InstanceView[]): string =>
  JSON.stringify(
    views.map((v) => [
      v.id,
      v.token.tokenId,
      v.token.expiresAt,
      v.token.refreshable,
      v.refreshError?.code === 'login-required',
      // Found revoked (the window's Check now, `artikey inspect`): no more refreshes, a notice due.
      v.revocation.status === 'revoked',
      v.rotationIntervalSeconds,
    ]),
  );

const SETTLE_MS = 300;
const REVOCATION_MAX_AGE_SECONDS = 3600;
const REVOCATION_RETRY_MS = 5 * 60_000;
const HEARTBEAT_MS = 30_000;
/** A wall-clock jump this large between two heartbeats means the machine slept or the clock moved. */
const JUMP_MS = 90_000;

/** Atomic writes replace the file, so the folder is watched; bursts of writes become one call. */
function watchStateFile(stateFile: string, changed: () => void): Pick<FSWatcher, 'close'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(dirname(stateFile), { persistent: false }, (_event, name) => {
      if (name !== null && name !== basename(stateFile)) return;
      clearTimeout(timer);
      timer = setTimeout(changed, SETTLE_MS);
    });
    watcher.on('error', () => watcher.close());
    return { close: () => (clearTimeout(timer), watcher.close()) };
  } catch {
    // No folder (a named-pipe platform before the first login) or no watcher support: the
    // sleep and clock re-checks still run.
    return { close: () => undefined };
  }
}

/**
 * The Docker helper's question, answered from memory while the token may be served as it is: the
 * keychain is read once per token, not once per pull. A dead token is refused and forgotten.
 */
async function dockerAnswer(artikey: Artikey, server: string): Promise<AgentReply> {
  try {
    const view = await artikey.dockerInstance(server);
    if (!view) return { ok: true, answer: null };
    const facts = JSON.stringify(view.token);
    const known = remembered.get(view.id);
    const serverNow = Math.floor(Date.now() / 1000) + view.clockOffsetSeconds;
    const use = tokenUse(view, serverNow, { refreshWithinSeconds: DOCKER_MARGIN_SECONDS });
    if (use === 'serve' && known?.facts === facts)
      return { ok: true, answer: { username: known.username, secret: known.secret } };
    if (use instanceof ArtikeyError) {
      remembered.delete(view.id);
      throw use;
    }
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

const remembered = new Map<string, { facts: string; username: string; secret: string }>();
