import { expect, it } from "vitest";
import { nextRestart, STEADY_RUN_MS } from "../src/workers/host/restart-policy.ts";

it("backs off 1 s, 2 s, 4 s ... up to the cap, and starts over after a steady run", () => {
  const now = 1_000_000;
  const delays: number[] = [];
  let state = { startedAt: now, restarts: 0 };
  for (let i = 0; i < 7; i++) {
    const next = nextRestart(state, now + 10, 30_000);
    delays.push(next.delayMs);
    state = { startedAt: now, restarts: next.restarts };
  }
  expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  const steady = nextRestart(state, now + STEADY_RUN_MS + 1, 30_000);
  expect(steady).toEqual({ delayMs: 1000, restarts: 1 });
});
