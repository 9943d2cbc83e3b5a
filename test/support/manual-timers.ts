import type { FakeClock } from '../fake-artifactory/clock.js';

/** Timers the test fires by hand, on the fake's clock (a RefreshScheduler's setTimer/clearTimer). */
export class ManualTimers {
  readonly pending = new Map<number, { run: () => void; at: number; ms: number }>();
  #next = 0;
  constructor(private readonly clock: FakeClock) {}
  set = (run: () => void, ms: number): number => {
    this.pending.set(++this.#next, { run, at: this.clock.now() + ms, ms });
    return this.#next;
  };
  clear = (timer: unknown): void => void this.pending.delete(timer as number);
  /** When the earliest timer is due (epoch ms); undefined when none is pending. */
  nextAt(): number | undefined {
    const times = [...this.pending.values()].map((t) => t.at);
    return times.length > 0 ? Math.min(...times) : undefined;
  }
  /** Moves the clock to the earliest timer and runs it. */
  async fireNext(): Promise<void> {
    const [id, timer] = [...this.pending].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
    if (id === undefined || !timer) throw new Error('no timer pending');
    this.pending.delete(id);
    if (timer.at > this.clock.now()) this.clock.set(timer.at);
    timer.run();
    // The scheduler arms its next timer once the refresh (keychain, HTTP) is done; wait for that.
    for (let i = 0; i < 400 && this.pending.size === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
