import { startVenue, type Venue } from "@matchingo-mm/venue";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { type Runner, startRunner } from "../../src/runner.ts";
import { LADDER_ENV, ladderOf, samePrice } from "../faults/harness/ladder.ts";
import { recordVenue, type VenueRecord } from "../faults/harness/venue-record.ts";
import { type PriceServer, startPriceServer } from "../helpers/price-server.ts";
import { tempDir, waitFor } from "../helpers/runner-process.ts";

const BTC = "BTC-USDT";
const ID = "mm-ctl-crash";

let venue: Venue;
let record: VenueRecord;
let prices: PriceServer;
let runner: Runner;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
  prices = await startPriceServer({ [BTC]: "50000" });
  const resolved = resolveConfig({
    argv: [],
    env: {
      ...LADDER_ENV,
      MATCHINGO_GRPC_ADDR: venue.address,
      BINANCE_URL: prices.url,
      COINBASE_URL: prices.url,
      KRAKEN_URL: prices.url,
      MARKET_SYMBOL: BTC,
      MARKET_MAKER_ID: ID,
      UPDATE_INTERVAL_SECONDS: "0.3",
      SHUTDOWN_TIMEOUT_SECONDS: "5",
      METRICS_ADDR: "off",
      STATE_DIR: tempDir("mm-control-crash-"),
    },
    cwd: process.cwd(),
  });
  if (!resolved.config) throw new Error(JSON.stringify(resolved.problems));
  // The worker crashes after its 12th cycle (about 3.5 s in), once.
  runner = await startRunner(resolved.config, pino({ level: "silent" }), {
    crashAfterCycles: new Map([[BTC, 12]]),
  });
});
afterAll(async () => {
  await runner?.shutdown("test over");
  record?.stop();
  await prices?.close();
  await venue?.close();
});

const status = () => runner.getStatus().symbols[0]!;
const bids = () =>
  venue
    .liveOrders(BTC)
    .filter((order) => order.side === "buy")
    .map((order) => samePrice(order.price))
    .sort((a, b) => Number(b) - Number(a));

it("a paused symbol stays paused (and keeps its live params) after its worker crashes and restarts", async () => {
  await waitFor(() => venue.liveOrders(BTC).length === 6, 20_000, "the ladder");
  await runner.control.updateParams(BTC, { numLevels: 2 });
  await waitFor(() => venue.liveOrders(BTC).length === 4, 20_000, "two levels");
  const paused = await runner.control.pause(BTC);
  expect(paused.cancelled + paused.alreadyGone).toBe(4);
  expect(venue.liveOrders(BTC)).toEqual([]);
  // Paused while the first worker still ran: the crash comes after.
  expect(status().workerRestarts).toBe(0);
  const afterPause = record.mark();

  // The worker crashes (injected) while paused, and a new one starts.
  await waitFor(() => status().workerRestarts === 1, 30_000, "the worker's restart");
  const cyclesAtRestart = status().cycles;
  await waitFor(() => status().cycles >= cyclesAtRestart + 4, 20_000, "the new worker's cycles");
  // Nothing was placed by either worker since the pause.
  expect(record.events.slice(afterPause).filter((event) => event.type === "order-created")).toEqual(
    [],
  );
  expect(venue.liveOrders(BTC)).toEqual([]);

  // Resumed: the new worker quotes with the parameters changed before the crash.
  await runner.control.resume(BTC);
  await waitFor(() => venue.liveOrders(BTC).length === 4, 20_000, "quoting again");
  expect(bids()).toEqual(ladderOf("50000").bids.slice(0, 2));
  // A full ladder now has two levels a side: the status says quoting, not "partial ladder".
  await waitFor(() => status().state === "quoting", 20_000, "state quoting");
  expect(runner.control.params()[0]!.params.numLevels).toMatchObject({
    value: 2,
    origin: "control",
  });
});
