import { describe, expect, it } from "vitest";
import { forEachBounded, Semaphore } from "../../src/index.ts";

/** A task the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Semaphore", () => {
  it("runs at most `limit` at once, the waiters first in first out", async () => {
    const semaphore = new Semaphore(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      semaphore.run(async () => {
        started.push(i);
        await g.opened;
        return i * 10;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect([semaphore.inFlight, semaphore.waiting]).toEqual([2, 2]);
    gates[1]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(semaphore.inFlight).toBe(2);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 10, 20, 30]);
    expect([semaphore.inFlight, semaphore.waiting]).toEqual([0, 0]);
  });

  it("frees the place of a task that failed, and the failure is its caller's", async () => {
    const semaphore = new Semaphore(1);
    const failed = semaphore.run(() => Promise.reject(new Error("boom")));
    const next = semaphore.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    expect(semaphore.inFlight).toBe(0);
  });

  it("refuses a limit that is not a whole number >= 1", () => {
    expect(() => new Semaphore(0)).toThrow(/whole number >= 1, got 0/);
    expect(() => new Semaphore(1.5)).toThrow(TypeError);
  });
});

describe("forEachBounded", () => {
  it("starts in order, keeps at most `limit` in flight, and runs every item", async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      seen.push(item);
      inFlight++;
      most = Math.max(most, inFlight);
      await settle();
      inFlight--;
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it("re-raises the first failure only after every item ran", async () => {
    const ran: number[] = [];
    await expect(
      forEachBounded([1, 2, 3, 4], 2, async (item) => {
        ran.push(item);
        if (item % 2 === 0) throw new Error(`item ${item}`);
      }),
    ).rejects.toThrow("item 2");
    expect(ran).toEqual([1, 2, 3, 4]);
  });
});
