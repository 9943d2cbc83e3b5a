/**
 * The fake's notion of "now". Tests freeze it and move it forward without sleeping; the demo
 * lets it follow the wall clock (plus any offset a test or person added).
 */
export interface FakeClockOptions {
  /** Start time (epoch ms or Date). Defaults to the wall clock. */
  start?: number | Date;
  /** When frozen, time moves only through advance() and set(). */
  frozen?: boolean;
}

export class FakeClock {
  #frozenAt: number | undefined;
  #offsetMs = 0;

  constructor(options: FakeClockOptions = {}) {
    const start = options.start === undefined ? Date.now() : Number(options.start);
    if (options.frozen) this.#frozenAt = start;
    else this.#offsetMs = start - Date.now();
  }

  /** Milliseconds since the epoch. */
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  /** Whole seconds since the epoch, as JWT claims and token APIs use. */
  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`advance() needs a finite number, got ${seconds}`);
    if (this.#frozenAt === undefined) this.#offsetMs += seconds * 1000;
    else this.#frozenAt += seconds * 1000;
  }

  set(time: number | Date): void {
    const ms = Number(time);
    if (this.#frozenAt === undefined) this.#offsetMs = ms - Date.now();
    else this.#frozenAt = ms;
  }
}
