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
