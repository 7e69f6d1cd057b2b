/**
 * At most `limit` tasks in flight, however many callers share it; the rest wait their
 * turn in the order they asked (first in, first out).
 */
export class Semaphore {
  readonly #limit: number;
  readonly #waiting: Array<() => void> = [];
  #inFlight = 0;

  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new TypeError(`Semaphore: limit must be a whole number >= 1, got ${limit}`);
    }
    this.#limit = limit;
  }

  /** Tasks running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Tasks waiting for a free place. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a place is free; its result or error is the caller's. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#inFlight < this.#limit) {
      this.#inFlight++;
      return Promise.resolve();
    }
    // The place is handed over on release, so a newcomer cannot overtake a waiter.
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#inFlight--;
  }
}
