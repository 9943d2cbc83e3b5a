/** The shared clock for every countdown: one timer, and only the text that reads it updates. */
export class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    this.#timer ??= setInterval(() => (this.now = Date.now()), 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
