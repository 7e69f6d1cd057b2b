import { describe, expect, it } from "vitest";
import { boundedCancels } from "../src/journal/bounded-cancels.ts";
import { shutdownBudget } from "../src/shutdown-budget.ts";
import { createStartGate, enterRunning, stopWhileBooting } from "../src/workers/wire/start-gate.ts";

describe("shutdownBudget", () => {
  it("keeps a real share for the final sweep and fits within the timeout", () => {
    for (const timeoutMs of [1_000, 3_000, 10_000, 30_000, 120_000]) {
      const budget = shutdownBudget(timeoutMs);
      expect(budget.sweepMs).toBeGreaterThanOrEqual(Math.min(1_000, timeoutMs * 0.3));
      expect(budget.workersMs + budget.sweepMs + budget.marginMs).toBeLessThanOrEqual(timeoutMs);
      expect(budget.coreMs).toBeLessThan(budget.workersMs);
    }
    expect(shutdownBudget(10_000)).toEqual({
      workersMs: 6_700,
      coreMs: 6_400,
      sweepMs: 3_000,
      marginMs: 300,
    });
  });
});

describe("boundedCancels", () => {
  it("never has more than the limit in flight, however many callers", async () => {
    let inFlight = 0;
    let most = 0;
    const gateway = boundedCancels(
      {
        async cancelOrder() {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          return "canceled" as const;
        },
      },
      4,
    );
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => gateway.cancelOrder("B", `id-${i}`)),
    );
    expect(outcomes).toHaveLength(30);
    expect(most).toBe(4);
  });

  it("a failure frees its slot", async () => {
    const gateway = boundedCancels(
      {
        cancelOrder: async (_book, id) => {
          if (id === "bad") throw new Error("boom");
          return "canceled" as const;
        },
      },
      1,
    );
    await expect(gateway.cancelOrder("B", "bad")).rejects.toThrow("boom");
    await expect(gateway.cancelOrder("B", "good")).resolves.toBe("canceled");
  });
});

describe("start gate", () => {
  it("a worker stopped while booting never runs; a running one is not stopped by it", () => {
    const booting = createStartGate();
    expect(stopWhileBooting(booting)).toBe(true);
    expect(enterRunning(booting)).toBe(false);

    const running = createStartGate();
    expect(enterRunning(running)).toBe(true);
    expect(stopWhileBooting(running)).toBe(false);
  });
});
