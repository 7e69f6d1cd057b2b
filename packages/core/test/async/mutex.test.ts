import { describe, expect, it } from "vitest";
import { Mutex } from "../../src/index.ts";

describe("Mutex", () => {
  it("runs one task at a time, in the order given", async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([
      mutex.run(task("a", 20)),
      mutex.run(task("b", 1)),
      mutex.run(task("c", 5)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("does not let a failed task block the next; the error is its caller's", async () => {
    const mutex = new Mutex();
    const failed = mutex.run(() => {
      throw new Error("boom");
    });
    const next = mutex.run(() => "after");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });
});
