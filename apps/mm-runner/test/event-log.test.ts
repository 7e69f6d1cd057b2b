import { Writable } from "node:stream";
import pino from "pino";
import { expect, it } from "vitest";
import { createEventLog } from "../src/log/event-log.ts";
import { wireCycle } from "./wire-events.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

it("a cycle line carries the worker's startedAt (ms epoch) besides its duration", async () => {
  const { lines, logger } = capture();
  const log = createEventLog(logger);
  log(
    wireCycle("quoted", {
      cycle: 4,
      price: "50000",
      source: "binance",
      bestBid: "49975.000",
      bestAsk: "50025.000",
      placed: 2,
      canceled: 2,
      kept: 4,
      startedAt: 1_700_000_000_123,
      durationMs: 12.4,
    }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  const line = lines.find((entry) => entry.cycle === 4);
  expect(line).toMatchObject({ startedAt: 1_700_000_000_123, ms: 12, outcome: "quoted" });
});

it("a clean tick requote is a debug line; the next interval cycle's info line counts them", async () => {
  const { lines, logger } = capture();
  logger.level = "debug";
  const log = createEventLog(logger);
  const tick = {
    trigger: "tick",
    price: "50010",
    source: "binance",
    placed: 6,
    canceled: 6,
  } as const;
  log(wireCycle("quoted", { cycle: 2, ...tick, priceReceivedAt: 1_700_000_000_000 }));
  log(wireCycle("quoted", { cycle: 3, ...tick }));
  // A tick requote with a failed step stays at info.
  log(wireCycle("quoted", { cycle: 4, ...tick, failed: 1 }));
  log(wireCycle("quoted", { cycle: 5, trigger: "interval", price: "50010", source: "binance" }));
  await new Promise((resolve) => setImmediate(resolve));
  const byCycle = (cycle: number) => lines.find((entry) => entry.cycle === cycle);
  expect(byCycle(2)).toMatchObject({
    level: 20,
    trigger: "tick",
    priceReceivedAt: 1_700_000_000_000,
  });
  expect(byCycle(3)).toMatchObject({ level: 20, trigger: "tick" });
  expect(byCycle(4)).toMatchObject({ level: 30, trigger: "tick", failed: 1 });
  expect(byCycle(5)).toMatchObject({ level: 30, trigger: "interval", tickRequotes: 3 });
  expect(String(byCycle(5)?.msg)).toContain("3 tick requotes since the last cycle");
});
