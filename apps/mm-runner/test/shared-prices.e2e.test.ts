import {
  killAllRunners,
  type PriceServer,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";

const SYMBOLS = Array.from({ length: 8 }, (_, i) => `P${i + 1}-USDT`);
const INTERVAL_MS = 1_000;
const INTERVALS = 5;

let venue: Venue;
let prices: PriceServer;

beforeAll(async () => {
  venue = await startVenue();
  prices = await startPriceServer(
    Object.fromEntries(SYMBOLS.map((symbol, i) => [symbol, String(200 + i)])),
  );
});
afterEach(() => killAllRunners());
afterAll(async () => {
  await prices.close();
  await venue.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("8 symbols on one interval: about one request to the exchange per interval, not per symbol", async () => {
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    BINANCE_URL: prices.url,
    PRICE_SOURCES: "binance",
    MARKET_SYMBOLS: SYMBOLS.join(","),
    MARKET_MAKER_ID: "mm-shared",
    UPDATE_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    STATE_DIR: tempDir(),
    METRICS_ADDR: "off",
  });
  const cycleLines = () => runner.logs.filter((line) => typeof line.cycle === "number");
  // Every worker has run its first (unaligned) cycle and one on the grid.
  await waitFor(
    () => SYMBOLS.every((symbol) => cycleLines().some((l) => l.symbol === symbol && l.cycle === 2)),
    30_000,
    "every symbol's second cycle",
  );
  // Measure whole grid slots: from the middle of one slot to the middle of a later one.
  await sleep(INTERVAL_MS * 1.5 - (Date.now() % INTERVAL_MS));
  const from = prices.requests.binance;
  await sleep(INTERVALS * INTERVAL_MS);
  const requests = prices.requests.binance - from;
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);

  // One round per slot serves all 8 (unaligned, each worker's own phase costs up to ~2 per slot).
  expect(requests).toBeGreaterThanOrEqual(INTERVALS - 1);
  expect(requests).toBeLessThanOrEqual(INTERVALS + 1);
  // The cycles after the first start on the grid (the line's startedAt is the worker's own).
  const onGrid = cycleLines().filter((line) => (line.cycle as number) >= 2);
  expect(onGrid.length).toBeGreaterThanOrEqual(SYMBOLS.length * 2);
  const offsets = onGrid.map((line) => (line.startedAt as number) % INTERVAL_MS);
  expect(offsets.filter((offset) => offset > 250 && offset < INTERVAL_MS - 5)).toEqual([]);
});
