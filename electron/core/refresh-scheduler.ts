import type { InstanceView, RefreshOutcome } from './artikey.js';
import { errorCode } from './errors.js';
import type { Logger } from './logger.js';
import { relative } from './time-phrases.js';
import { replaceWithinSeconds } from './token-lifetime.js';

/**
 * Keeps every refreshable token fresh with one timer per token, set for `expiry − lead`; nothing
 * polls while nothing is due. A token is replaced a rotation interval after it was issued (so a
 * leaked copy works only that long while the machine is awake; see token-lifetime.ts), and in any
 * case a lead before it expires that grows with its lifetime (a 12-hour token about two hours
 * early, a 5-minute one a minute early); jitter moves each refresh a little earlier, so many
 * instances never refresh at the same instant. Network trouble is retried with backoff until it
 * works; a refused refresh token stops the retries, since only the user can fix it. Whatever
 * asks for it, one instance is never refreshed twice within a short interval, and a server that
 * hands out tokens already due is asked again only after a growing pause: nothing can loop.
 */
export interface SchedulerHost {
  list(): Promise<InstanceView[]>;
  /**
   * Refreshes unless the token has more than this many seconds left or another process replaced
   * it meanwhile; says which.
   */
  refreshIfDue(id: string, onlyIfExpiringWithinSeconds: number): Promise<RefreshOutcome>;
}

export interface SchedulerOptions {
  host: SchedulerHost;
  logger: Logger;
  /** Milliseconds since the epoch. */
  now?: () => number;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** After every refresh this scheduler made; never for one that found nothing to do. */
  onRefreshed?: (view: InstanceView) => void;
  /** `name` is the instance's display name, for messages. */
  onFailed?: (id: string, code: string, message: string, name: string) => void;
  /** Refreshes in flight at once: after a long sleep every token may be due together. */
  concurrency?: number;
}

/** Node's timers overflow above 2^31 − 1 ms (about 24.8 days); longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const MINUTE = 60;

/**
 * Seconds before expiry to refresh: 15 % of the lifetime, between 1 minute and 1 day, and never
 * more than half the lifetime (a 90-second token refreshed 60 seconds early would be due again
 * the moment it arrived).
 */
export function refreshLead(lifetimeSeconds: number): number {
  return Math.min(Math.max(lifetimeSeconds * 0.15, MINUTE), 86_400, lifetimeSeconds / 2);
}

/** Retry delays after network errors: 30 s doubling to 15 minutes, ±25 % jitter. */
export function retryDelaySeconds(attempt: number, random: () => number): number {
  return Math.min(30 * 2 ** attempt, 15 * MINUTE) * (0.75 + random() * 0.5);
}

/**
 * The least time between two refreshes of one instance, however they were asked for (timers,
 * wake-ups, clock jumps, other processes' writes). Below the shortest retry delay, so it never
 * moves a normal plan; it only stops loops.
 */
export const MIN_REFRESH_INTERVAL_SECONDS = 15;

/** Pauses after refreshes whose new token was already due: 30 s doubling to 15 minutes. */
export function dueAgainDelaySeconds(timesInARow: number): number {
  return Math.min(30 * 2 ** (timesInARow - 1), 15 * MINUTE);
}

interface Plan {
  timer: unknown;
  at: number;
  attempt: number;
}

/** When the last refresh of an instance ended, and how long to leave the instance alone since. */
interface Pace {
  endedAt: number;
  waitSeconds: number;
  /** Refreshes in a row whose new token was already due. */
  dueAgain: number;
}

export class RefreshScheduler {
  readonly #host: SchedulerHost;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #setTimer: (run: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #onRefreshed: (view: InstanceView) => void;
  readonly #onFailed: (id: string, code: string, message: string, name: string) => void;
  readonly #plans = new Map<string, Plan>();
  readonly #paces = new Map<string, Pace>();
  readonly #concurrency: number;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#host = options.host;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms).unref());
    this.#clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
    this.#onRefreshed = options.onRefreshed ?? (() => undefined);
    this.#onFailed = options.onFailed ?? (() => undefined);
    this.#concurrency = options.concurrency ?? 8;
  }

  /**
   * Looks at every token again and (re)plans its timer: at start-up, after sleep/resume and
   * after a wall-clock jump, and when instances were added or removed. Tokens already due
   * (for example expired during sleep, still inside the server's refresh grace) refresh now.
   */
  async recheck(): Promise<void> {
    if (this.#stopped) return;
    const views = await this.#host.list();
    const ids = new Set(views.map((v) => v.id));
    for (const id of [...this.#plans.keys()]) if (!ids.has(id)) this.#cancel(id);
    for (const id of [...this.#paces.keys()]) if (!ids.has(id)) this.#paces.delete(id);
    await Promise.all(views.map((view) => this.#plan(view, 0)));
  }

  stop(): void {
    this.#stopped = true;
    for (const id of [...this.#plans.keys()]) this.#cancel(id);
  }

  /** When each instance's timer fires next (seconds since the epoch), for `artikey status`. */
  nextRefreshes(): Map<string, number> {
    return new Map([...this.#plans].map(([id, plan]) => [id, Math.floor(plan.at / 1000)]));
  }

  async #plan(view: InstanceView, attempt: number): Promise<void> {
    this.#cancel(view.id);
    if (
      this.#stopped ||
      !view.token.refreshable ||
      view.token.expiresAt === null ||
      view.refreshError?.code === 'login-required'
    )
      return;
    // Jitter only ever moves the refresh earlier, by up to a tenth of the lead (or of the rotation
    // interval, when that is shorter); the refresh is asked for with the same lead, or it would
    // find the token not yet due and do nothing.
    const lead = leadOf(view) + this.#random() * 0.1 * jitterSpan(view);
    const dueAt = this.#now() + (this.#secondsLeft(view) - lead) * 1000;
    const wanted =
      attempt > 0 ? this.#now() + retryDelaySeconds(attempt - 1, this.#random) * 1000 : dueAt;
    const at = Math.max(wanted, this.#notBefore(view.id));
    if (at <= this.#now()) return this.#refresh(view, lead, attempt);
    this.#arm(view.id, at, attempt, () => void this.#refresh(view, lead, attempt));
  }

  /** In our clock: the view's time left is already corrected for the server's clock offset. */
  #secondsLeft(view: InstanceView): number {
    return (
      (view.token.expiresAt ?? Infinity) -
      (Math.floor(this.#now() / 1000) + view.clockOffsetSeconds)
    );
  }

  #notBefore(id: string): number {
    const pace = this.#paces.get(id);
    // From now at the latest: a wall clock set back must not postpone the refresh as far.
    return pace ? Math.min(pace.endedAt, this.#now()) + pace.waitSeconds * 1000 : 0;
  }

  /** Notes a refresh that ended; a new token already due earns a longer pause, and says so. */
  #pace(id: string, name: string, outcome: 'fresh' | 'due-again' | 'failed'): void {
    const before = this.#paces.get(id)?.dueAgain ?? 0;
    const dueAgain = outcome === 'due-again' ? before + 1 : outcome === 'fresh' ? 0 : before;
    const waitSeconds =
      outcome === 'due-again' ? dueAgainDelaySeconds(dueAgain) : MIN_REFRESH_INTERVAL_SECONDS;
    this.#paces.set(id, { endedAt: this.#now(), waitSeconds, dueAgain });
    if (outcome === 'due-again')
      this.#log.warn(
        `${name}: the server issued a token that is already due; next try ${relative(waitSeconds)}`,
      );
  }

  /** Sets a timer for `at`, chaining when it is further away than a timer can wait. */
  #arm(id: string, at: number, attempt: number, fire: () => void): void {
    const wait = at - this.#now();
    const timer = this.#setTimer(
      () => {
        if (this.#plans.get(id)?.timer !== timer) return;
        if (this.#now() < at) this.#arm(id, at, attempt, fire);
        else fire();
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    this.#plans.set(id, { timer, at, attempt });
  }

  async #refresh(view: InstanceView, leadSeconds: number, attempt: number): Promise<void> {
    this.#cancel(view.id);
    if (this.#stopped) return;
    try {
      // Stopped while waiting for a free slot: start nothing new.
      const outcome = await this.#limited(() =>
        this.#stopped
          ? Promise.resolve(null)
          : this.#host.refreshIfDue(view.id, Math.ceil(leadSeconds) + 1),
      );
      if (outcome === null) return;
      const fresh = outcome.view;
      if (outcome.refreshed) this.#onRefreshed(fresh);
      const dueAgain = fresh.token.refreshable && this.#secondsLeft(fresh) <= leadOf(fresh);
      this.#pace(view.id, view.name, dueAgain ? 'due-again' : 'fresh');
      await this.#plan(fresh, 0);
    } catch (error) {
      const code = errorCode(error);
      const message = (error as Error).message;
      this.#pace(view.id, view.name, 'failed');
      this.#onFailed(view.id, code, message, view.name);
      if (
        code === 'login-required' ||
        code === 'instance-not-found' ||
        code === 'not-refreshable'
      ) {
        this.#log.warn(`stopped refreshing ${view.name}: ${message}`);
        return;
      }
      this.#log.warn(`refresh of ${view.name} failed (${code}); retrying`);
      await this.#plan(view, attempt + 1);
    }
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.#concurrency)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
      this.#waiting.shift()?.();
    }
  }

  #cancel(id: string): void {
    const plan = this.#plans.get(id);
    if (plan) this.#clearTimer(plan.timer);
    this.#plans.delete(id);
  }
}

/** Seconds before expiry at which the token is replaced (before jitter); `artikey status` shows it too. */
export function leadOf(view: InstanceView): number {
  const lifetime = lifetimeOf(view);
  return replaceWithinSeconds(lifetime, view.rotationIntervalSeconds, refreshLead(lifetime));
}

/** How long the token waits before its refresh: jitter takes at most a tenth of it. */
function jitterSpan(view: InstanceView): number {
  const lead = leadOf(view);
  return Math.min(lead, lifetimeOf(view) - lead);
}

function lifetimeOf(view: InstanceView): number {
  const { issuedAt, expiresAt } = view.token;
  return issuedAt === null || expiresAt === null ? view.tokenLifetimeSeconds : expiresAt - issuedAt;
}
