import type {
  AppInfo,
  ArtikeyBridge,
  BrowserLoginPrompt,
  InstanceSummary,
  Navigation,
  NoticeSummary,
  Result,
} from '../../../electron/ipc/contract.js';
import { Clock } from './clock.svelte';
import { href, parseHash, type Route } from './routes';
import { displayStatus, sortByUrgency, STATUS } from './status';

export type { Route };

/** A failed call as the page shows it: main's message, and its code for the curious. */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What to tell the person about a failed call: main's message, or whatever else went wrong. */
export const messageOf = (error: unknown): string =>
  error instanceof CallError ? error.message : String(error);

/** Unwraps a bridge result, so screens can `await` and show `error.message` on failure. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new CallError(result.code, result.message);
  return result.value;
}

/**
 * Everything the screens share: the instance list, where the person is, what was announced.
 * Main tells the page when instances change; the page then asks again (it never guesses).
 */
export class AppState {
  readonly api: ArtikeyBridge;
  readonly clock = new Clock();
  info = $state<AppInfo | null>(null);
  instances = $state.raw<InstanceSummary[]>([]);
  notices = $state.raw<NoticeSummary[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  route = $state<Route>(parseHash(location.hash));
  loginPrompt = $state<BrowserLoginPrompt | null>(null);
  /** Bumped on every change main reports, so open screens can reload what they show. */
  revision = $state(0);
  /** The polite live region's text. */
  announcement = $state('');
  #unsubscribe: (() => void)[] = [];
  #reloading: Promise<void> | null = null;
  #again = false;

  constructor(api: ArtikeyBridge) {
    this.api = api;
  }

  readonly sorted = $derived(sortByUrgency(this.instances));

  async start(): Promise<void> {
    this.clock.start();
    const follow = () => (this.route = parseHash(location.hash));
    window.addEventListener('hashchange', follow);
    this.#unsubscribe.push(() => window.removeEventListener('hashchange', follow));
    this.#unsubscribe.push(
      this.api.on('instances.changed', () => {
        this.revision += 1;
        void this.reload();
      }),
      this.api.on('login.prompt', (prompt) => (this.loginPrompt = prompt)),
      this.api.on('navigate', (to) => this.navigate(to)),
    );
    const info = await this.api.app.info();
    if (info.ok) this.info = info.value;
    await this.reload();
    this.loaded = true;
  }

  stop(): void {
    this.clock.stop();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  /** Reads the list again; calls during a reload coalesce into one more read. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#again = false;
        await this.#read();
      } while (this.#again);
    })().finally(() => (this.#reloading = null));
    return this.#reloading;
  }

  async #read(): Promise<void> {
    const [list, notices] = await Promise.all([this.api.instances.list(), this.api.notices.list()]);
    if (!list.ok) {
      this.loadError = list.message;
      return;
    }
    this.loadError = null;
    this.#announceChanges(this.instances, list.value);
    this.instances = list.value;
    if (notices.ok) this.notices = notices.value;
  }

  #announceChanges(before: InstanceSummary[], after: InstanceSummary[]): void {
    if (!this.loaded) return;
    const previous: Record<string, string> = Object.fromEntries(
      before.map((i) => [i.id, displayStatus(i)]),
    );
    const changed = after
      .filter((i) => Object.hasOwn(previous, i.id) && previous[i.id] !== displayStatus(i))
      .map((i) => `${i.name} is now ${STATUS[displayStatus(i)].label.toLowerCase()}.`);
    if (changed.length > 0) this.announce(changed.join(' '));
  }

  instance(id: string): InstanceSummary | undefined {
    return this.instances.find((i) => i.id === id);
  }

  announce(message: string): void {
    // Clearing first makes a repeated message be read again.
    this.announcement = '';
    queueMicrotask(() => (this.announcement = message));
  }

  go(route: Route): void {
    location.hash = href(route);
    this.route = route;
  }

  navigate(to: Navigation): void {
    if (to.to === 'instance') this.go({ screen: 'instance', id: to.instanceId, tab: 'token' });
    else if (to.to === 'login')
      this.go({ screen: 'login', url: to.url, fromLink: to.url !== null });
    else this.go({ screen: 'settings' });
  }
}
