import { Writable } from "node:stream";
import { PriceError } from "@matchingo-mm/core";
import pino from "pino";
import { expect, it } from "vitest";
import { chainEventHandler } from "../src/log/chain-events.ts";

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

it("an unreachable source (offline: the expected case) is one short line with the reason, no stack", () => {
  const { lines, logger } = capture();
  const handle = chainEventHandler({ logger, trackers: new Map() });
  const offline = new PriceError(
    "binance: cannot reach http://127.0.0.1:9/api/v3/ticker/price: fetch failed: bad port",
    { kind: "unreachable", source: "binance", cause: new TypeError("fetch failed") },
  );
  handle({
    type: "source-failed",
    source: "binance",
    error: offline,
    failures: 1,
    retryInMs: 1000,
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]?.msg).toBe(
    "price source binance failed (unreachable: binance: cannot reach http://127.0.0.1:9/api/v3/ticker/price: fetch failed: bad port); next try in 1000 ms",
  );
  expect(lines[0]?.err).toBeUndefined();
  expect(JSON.stringify(lines[0]).length).toBeLessThan(600);
});

it("an unexpected failure (a changed payload) keeps its error with stack and cause", () => {
  const { lines, logger } = capture();
  const handle = chainEventHandler({ logger, trackers: new Map() });
  const bad = new PriceError("binance: not JSON", { kind: "bad-payload", source: "binance" });
  handle({ type: "source-failed", source: "binance", error: bad, failures: 1, retryInMs: 1000 });
  expect((lines[0]?.err as { stack?: string } | undefined)?.stack).toContain("PriceError");
});
