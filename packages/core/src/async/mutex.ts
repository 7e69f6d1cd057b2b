/**
 * Runs tasks one at a time, in the order given; a failed task does not block the next
 * (its error goes to its own caller only).
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
