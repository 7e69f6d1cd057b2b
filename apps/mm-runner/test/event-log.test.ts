import { Writable } from "node:stream";
import pino from "pino";
import { expect, it } from "vitest";
import { createEventLog } from "../src/log/event-log.ts";
import { wireCycle, wireFill } from "./wire-events.ts";

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
  expect(byCycle(5)).toMatchObject({
    level: 30,
    trigger: "interval",
    tickRequotes: 3,
    intervalCycle: 1,
    placedSinceLastLine: 18,
    canceledSinceLastLine: 18,
  });
  // Numbered by interval cycles (core's counter, with the requotes, stays a field), and
  // counting what the requotes placed and cancelled too.
  expect(String(byCycle(5)?.msg)).toMatch(
    /^cycle 1: 50010 \(binance\) .*placed 18, canceled 18 \(this cycle and 3 tick requotes since the last line\)/,
  );
});

it("interval lines are numbered 1, 2, 3 however many tick requotes come between", async () => {
  const { lines, logger } = capture();
  const log = createEventLog(logger);
  const tick = { trigger: "tick", price: "50010", source: "binance", placed: 1 } as const;
  log(wireCycle("quoted", { cycle: 1, price: "50000", source: "binance", placed: 6 }));
  for (let cycle = 2; cycle < 42; cycle++) log(wireCycle("quoted", { cycle, ...tick }));
  log(wireCycle("quoted", { cycle: 42, price: "50010", source: "binance" }));
  log(wireCycle("quoted", { cycle: 43, price: "50010", source: "binance" }));
  await new Promise((resolve) => setImmediate(resolve));
  const shown = lines.map((line) =>
    String(line.msg)
      .match(/^cycle (\d+):.*placed (\d+)/)
      ?.slice(1),
  );
  expect(shown).toEqual([
    ["1", "6"],
    ["2", "40"],
    ["3", "0"],
  ]);
});

it("a fill line says what traded in its message (a terminal shows the message alone)", async () => {
  const { lines, logger } = capture();
  createEventLog(logger)(wireFill("sell", "0.004", { price: "50025.000" }));
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines[0]?.msg).toMatch(/^fill: sell 0\.004 @ 50025\.000, position /);
});
