/**
 * Starts workers a few at a time: the next one when an earlier one has finished its first
 * cycle (or ended). Started all at once, N isolates compile the same modules side by side
 * and N gRPC channels connect to the venue in the same instant; at 256 symbols on 2 cores
 * that storm kept most channels from ever connecting (their calls ran out of deadline while
 * the venue was still accepting the others) and only 14 of 256 symbols quoted in 150 s.
 * A bounded ramp costs no CPU: the total start-up work is the same, done in order.
 */
export interface StartRamp {
  /** Runs `start` now if fewer than `concurrency` are starting, else once one finishes. */
  enqueue(start: () => void): void;
  /** One started worker is past its start (first cycle done, or ended): let the next go. */
  release(): void;
  /** Drops every start not yet run (shutdown). */
  clear(): void;
}

export function createStartRamp(concurrency: number): StartRamp {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `createStartRamp: concurrency must be a positive integer, not ${concurrency}`,
    );
  }
  const queue: (() => void)[] = [];
  let starting = 0;
  const next = () => {
    while (starting < concurrency && queue.length > 0) {
      starting++;
      queue.shift()!();
    }
  };
  return {
    enqueue(start) {
      queue.push(start);
      next();
    },
    release() {
      if (starting > 0) starting--;
      next();
    },
    clear() {
      queue.length = 0;
    },
  };
}
