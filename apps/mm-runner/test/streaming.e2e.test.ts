/**
 * The runner (a child process) on local exchange streams: a stream lost mid-run falls back
 * to REST and comes back without a moment of missing quotes, and a 100-ticks-a-second
 * stream is requoted on at most once per MIN_REQUOTE_INTERVAL_MS. (A price step on a stream
 * reaching the venue as the exact new ladder is the seed example's stream variant.)
 */

import {
  killAllRunners,
  type PriceServer,
  type RunnerProcess,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { SymbolStatus } from "../src/ops/index.ts";
import { recordVenue, type VenueRecord } from "./faults/harness/venue-record.ts";

const ID = "mm-stream";
const BOOK = "BTC-USDT";

let venue: Venue;
let record: VenueRecord;
let prices: PriceServer | undefined;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
});
afterAll(async () => {
  record?.stop();
  await venue?.close();
});
afterEach(async () => {
  killAllRunners();
  await prices?.close();
  prices = undefined;
});

/** One symbol, three levels, Binance only (its stream, its REST while the stream is down). */
function start(server: PriceServer, env: Record<string, string>): RunnerProcess {
  return startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    ...server.env,
    PRICE_FEED: "stream",
    PRICE_SOURCES: "binance",
    MARKET_SYMBOL: "BTC-USDT",
    MARKET_MAKER_ID: ID,
    NUM_LEVELS: "3",
    BASE_SPREAD_PERCENT: "0.1",
    PRICE_STEP_PERCENT: "0.05",
    ORDER_SIZE: "0.01",
    PRICE_TICK: "0.01",
    STATE_DIR: tempDir(),
    ...env,
  });
}

const sides = () => {
  const live = record.live(ID, BOOK);
  const bids = live.filter((order) => order.side === "buy").map((order) => Number(order.price));
  const asks = live.filter((order) => order.side === "sell").map((order) => Number(order.price));
  return { bids, asks, best: bids.length > 0 ? Math.max(...bids) : undefined };
};

async function statusOf(opsAddress: string): Promise<SymbolStatus> {
  const response = await fetch(`http://${opsAddress}/status`);
  const body = (await response.json()) as { symbols: SymbolStatus[] };
  return body.symbols[0]!;
}

it("a stream killed mid-run falls back to REST and back, and the venue never lacks a full ladder of ours", async () => {
  const server = await startPriceServer({ "BTC-USDT": "50000.00" });
  prices = server;
  const runner = start(server, {
    UPDATE_INTERVAL_SECONDS: "600",
    STREAM_STALE_SECONDS: "2",
    METRICS_ADDR: "127.0.0.1:0",
  });
  const ops = String((await runner.waitForLog((line) => typeof line.ops === "string")).ops);
  await waitFor(() => sides().bids.length === 3 && sides().asks.length === 3, 20_000, "a ladder");
  await waitFor(async () => (await statusOf(ops)).feed?.via === "stream", 20_000, "via stream");

  // From now on, after every venue event: at least three bids and three asks of ours. Steps
  // are small (no new bid crosses an old ask), so make-before-break never leaves a hole.
  const holes: string[] = [];
  const stopWatching = venue.onEvent((event) => {
    const { bids, asks } = sides();
    if (bids.length < 3 || asks.length < 3) {
      holes.push(`${event.type}: ${bids.length} bids, ${asks.length} asks`);
    }
  });
  try {
    // The stream dies and stays refused: the price now comes over REST.
    server.kit.binance.refuse(true);
    server.kit.binance.drop();
    const down = await waitFor(
      async () => {
        const feed = (await statusOf(ops)).feed;
        return feed?.via === "poll" && feed;
      },
      20_000,
      "via poll",
    );
    expect(down.source).toBe("binance");
    server.prices.set("BTC-USDT", "50010.00"); // only REST can tell now
    await waitFor(() => sides().best === 49984.99, 20_000, "the ladder at the polled price");

    // The stream is back: the feed goes back to it, and a step on it is quoted.
    server.kit.binance.refuse(false);
    const up = await waitFor(
      async () => {
        const feed = (await statusOf(ops)).feed;
        return feed?.via === "stream" && feed;
      },
      20_000,
      "via stream again",
    );
    expect(up.reconnects).toBeGreaterThanOrEqual(1);
    expect(up.failovers).toBeGreaterThanOrEqual(2);
    server.prices.set("BTC-USDT", "50020.00");
    await waitFor(() => sides().best === 49994.99, 20_000, "the ladder at the streamed price");
  } finally {
    stopWatching();
  }
  expect(holes).toEqual([]);
  const logged = runner.logs.map((line) => line.msg);
  expect(logged).toContain("BTC-USDT prices now from binance (poll)");
  expect(
    logged.filter((msg) => msg === "BTC-USDT prices now from binance (stream)").length,
  ).toBeGreaterThanOrEqual(2);
  const metrics = await (await fetch(`http://${ops}/metrics`)).text();
  expect(metrics).toMatch(
    /mm_price_feed_info\{symbol="BTC-USDT",source="binance",via="stream"\} 1/,
  );
  expect(metrics).toMatch(/mm_stream_reconnects_total\{symbol="BTC-USDT"\} [1-9]/);

  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
  expect(record.live(ID, BOOK)).toEqual([]);
});

it("a 100-ticks-a-second stream is requoted on at most once per MIN_REQUOTE_INTERVAL_MS", async () => {
  const server = await startPriceServer({ "BTC-USDT": "50000.00" });
  prices = server;
  const minIntervalMs = 250;
  const runner = start(server, {
    UPDATE_INTERVAL_SECONDS: "600",
    MIN_REQUOTE_INTERVAL_MS: String(minIntervalMs),
    METRICS_ADDR: "off",
    // Tick requotes are debug lines (see src/log/event-log.ts).
    LOG_LEVEL: "debug",
  });
  await waitFor(() => sides().bids.length === 3 && sides().asks.length === 3, 20_000, "a ladder");
  await runner.waitForLog((line) =>
    line.msg.startsWith("BTC-USDT prices now from binance (stream)"),
  );

  // Every tick moves the price by 0.02% one way or the other: each one alone would requote.
  const from = record.mark();
  const stop = server.kit.binance.pushRate("BTC-USDT", 100, (n) =>
    n % 2 === 0 ? "50000.00" : "50010.00",
  );
  const tickLines = () =>
    runner.logs.filter((line) => line.trigger === "tick" && line.outcome === "quoted");
  try {
    await waitFor(() => tickLines().length >= 6, 30_000, "six tick requotes");
  } finally {
    stop();
  }
  const starts = tickLines().map((line) => Number(line.startedAt));
  const spacing = starts.slice(1).map((at, index) => at - starts[index]!);
  // The trigger measures on the worker's clock, which also stamps `startedAt`.
  expect(Math.min(...spacing)).toBeGreaterThanOrEqual(minIntervalMs);

  // The venue's own count: every requote replaces the whole ladder (6 creates), so over the
  // window the creates are at most 6 per allowed requote (+1 for the one in flight).
  const window = record.events.slice(from);
  const created = window.filter((e) => e.type === "order-created" && e.userAddress === ID);
  const first = window[0]!.time.getTime();
  const last = window.at(-1)!.time.getTime();
  const allowed = Math.floor((last - first) / minIntervalMs) + 1;
  expect(created.length).toBeGreaterThan(0);
  expect(created.length).toBeLessThanOrEqual(6 * allowed);

  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
});
