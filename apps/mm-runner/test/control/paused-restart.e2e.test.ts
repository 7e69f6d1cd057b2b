import {
  killAllRunners,
  type PriceServer,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LADDER_ENV, ladderOf, samePrice } from "../faults/harness/ladder.ts";
import { recordVenue, type VenueRecord } from "../faults/harness/venue-record.ts";
import { crashWorkerAfter } from "../helpers/crash-worker.ts";

const BTC = "BTC-USDT";
const ID = "mm-ctl-crash";
const TOKEN = "token-for-the-crash-test";

let venue: Venue;
let record: VenueRecord;
let prices: PriceServer;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
  prices = await startPriceServer({ [BTC]: "50000" });
});
afterAll(async () => {
  killAllRunners();
  record?.stop();
  await prices?.close();
  await venue?.close();
});

const bids = () =>
  venue
    .liveOrders(BTC)
    .filter((order) => order.side === "buy")
    .map((order) => samePrice(order.price))
    .sort((a, b) => Number(b) - Number(a));

it("a paused symbol stays paused (and keeps its live params) after its worker crashes and restarts", async () => {
  // The worker crashes after its 12th cycle (about 3.5 s in), once.
  const crash = crashWorkerAfter(BTC, 12);
  const runner = startRunnerProcess(
    {
      ...LADDER_ENV,
      ...crash.env,
      MATCHINGO_GRPC_ADDR: venue.address,
      BINANCE_URL: prices.url,
      COINBASE_URL: prices.url,
      KRAKEN_URL: prices.url,
      MARKET_SYMBOL: BTC,
      MARKET_MAKER_ID: ID,
      UPDATE_INTERVAL_SECONDS: "0.3",
      METRICS_ADDR: "127.0.0.1:0",
      CONTROL_TOKEN: TOKEN,
      STATE_DIR: tempDir("mm-control-crash-"),
    },
    [],
    { preload: crash.preload },
  );
  const ops = (await runner.waitForLog((line) => typeof line.ops === "string")).ops as string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://${ops}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, path).toBe(200);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const status = async () =>
    (
      (await (await fetch(`http://${ops}/status`)).json()) as {
        symbols: { state: string; cycles: number; workerRestarts: number }[];
      }
    ).symbols[0]!;

  await waitFor(() => venue.liveOrders(BTC).length === 6, 20_000, "the ladder");
  await call("PATCH", "/control/params", { symbol: BTC, numLevels: 2 });
  await waitFor(() => venue.liveOrders(BTC).length === 4, 20_000, "two levels");
  const paused = await call("POST", "/control/pause", { symbol: BTC });
  expect(paused).toMatchObject({ cancelled: 4, alreadyGone: 0 });
  expect(venue.liveOrders(BTC)).toEqual([]);
  // Paused while the first worker still ran: the crash comes after.
  expect((await status()).workerRestarts).toBe(0);
  const afterPause = record.mark();

  // The worker crashes (injected) while paused, and a new one starts.
  await waitFor(async () => (await status()).workerRestarts === 1, 30_000, "the restart");
  const cyclesAtRestart = (await status()).cycles;
  await waitFor(async () => (await status()).cycles >= cyclesAtRestart + 4, 20_000, "cycles");
  // Nothing was placed by either worker since the pause; the status says paused.
  expect(record.events.slice(afterPause).filter((event) => event.type === "order-created")).toEqual(
    [],
  );
  expect(venue.liveOrders(BTC)).toEqual([]);
  expect((await status()).state).toBe("paused");

  // Resumed: the new worker quotes with the parameters changed before the crash.
  await call("POST", "/control/resume", { symbol: BTC });
  await waitFor(() => venue.liveOrders(BTC).length === 4, 20_000, "quoting again");
  expect(bids()).toEqual(ladderOf("50000").bids.slice(0, 2));
  // A full ladder now has two levels a side: the status says quoting, not "partial ladder".
  await waitFor(async () => (await status()).state === "quoting", 20_000, "state quoting");
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
});
