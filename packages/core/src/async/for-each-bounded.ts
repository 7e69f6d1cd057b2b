/**
 * Runs `task` over `items` with at most `limit` in flight, started in the order of `items`.
 * Resolves when all have settled; a task's failure is its own business (tasks here
 * report their errors rather than throw), but the first throw is re-raised after the rest
 * ran. A `limit` below 1 runs one at a time.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  // A pool of workers pulling the next item, rather than a Semaphore with a waiter per
  // item: a sweep of thousands of orders holds `limit` promises, not thousands.
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  if (failure) throw failure.error;
}
