/** Runs tasks one at a time, in the order given; a failed task does not block the next. */
export type Exclusive = <T>(task: () => Promise<T>) => Promise<T>;

export function createExclusive(): Exclusive {
  let lock: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = lock.then(task);
    lock = result.catch(() => undefined);
    return result;
  };
}
