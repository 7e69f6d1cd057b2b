/**
 * Boots workers a few at a time: the next one when an earlier one has booted (its module
 * ran and it spoke to the main thread) or ended. Booting an isolate is CPU work (~60 ms
 * each); started all at once, N isolates compile the same modules side by side and none is
 * ready until nearly all are. A bounded ramp costs no CPU: the total work is the same, and
 * the first symbols quote while the last still boot.
 */
export interface StartRamp {
  /** Runs `start` now if fewer than `concurrency` are starting, else once one finishes. */
  enqueue(start: () => void): void;
  /** One started worker has booted (or ended): let the next go. */
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
