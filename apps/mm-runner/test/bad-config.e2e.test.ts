import {
  type PriceServer,
  startPriceServer,
  startRunnerProcess,
  tempDir,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue, type VenueEvent } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type CountingProxy, startCountingProxy } from "./helpers/tcp-counter.ts";

let venue: Venue;
let proxy: CountingProxy;
let prices: PriceServer;
const events: VenueEvent[] = [];

beforeAll(async () => {
  venue = await startVenue();
  venue.onEvent((event) => events.push(event));
  proxy = await startCountingProxy({ host: venue.host, port: venue.port });
  prices = await startPriceServer({ "BTC-USDT": "0.5", "ETH-USDT": "3000" });
});
afterAll(async () => {
  await proxy.close();
  await prices.close();
  await venue.close();
});

it("refuses bad configuration with exit 2, naming every bad setting and value, before any contact with the venue", async () => {
  const runner = startRunnerProcess(
    {
      MATCHINGO_GRPC_ADDR: proxy.address,
      BINANCE_URL: prices.url,
      COINBASE_URL: "not a url",
      KRAKEN_URL: prices.url,
      NUM_LEVELS: "lots",
      SPREAD_PERCENT: "-0.1",
      ORDER_SIZE: "0.0005",
      UPDATE_INTERVAL_SECONDS: "soon",
      MARKET_SYMBOLS: "BTC-USDT,ETHUSDT",
      PRICE_SOURCES: "binance,bitstamp",
      STATE_DIR: tempDir(),
      METRICS_ADDR: "off",
    },
    ["--price-tick", "0.0001", "--requote-mode", "sometimes"],
  );
  const exit = await runner.exited;
  expect(exit.code).toBe(2);
  const message = runner.stderr();
  for (const expected of [
    'NUM_LEVELS="lots"',
    'SPREAD_PERCENT="-0.1"',
    'UPDATE_INTERVAL_SECONDS="soon"',
    'MARKET_SYMBOLS="BTC-USDT,ETHUSDT"',
    'PRICE_SOURCES="binance,bitstamp"',
    'COINBASE_URL="not a url"',
    '--price-tick="0.0001"',
    '--requote-mode="sometimes"',
    'ORDER_SIZE="0.0005": is below the lot step',
  ]) {
    expect(message).toContain(expected);
  }
  expect(message).toContain("nothing was sent to the venue");
  expect(proxy.connections()).toBe(0);
  expect(events).toEqual([]);
});

it("refuses a spread that collapses below one tick at the first price, before placing anything", async () => {
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: proxy.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOL: "BTC-USDT",
    PRICE_TICK: "0.01",
    STATE_DIR: tempDir(),
    METRICS_ADDR: "off",
  });
  const exit = await runner.exited;
  expect(exit.code).toBe(2);
  expect(runner.stderr()).toMatch(/BASE_SPREAD_PERCENT \(default\)="0.1": at BTC-USDT's price 0.5/);
  expect(runner.stderr()).toContain("below one PRICE_TICK");
  expect(events.filter((event) => event.type === "order-created")).toEqual([]);
});

it("refuses two symbols on one book", async () => {
  const dir = tempDir();
  const before = proxy.connections();
  const { writeFileSync } = await import("node:fs");
  writeFileSync(
    `${dir}/mm.yaml`,
    "symbols:\n  BTC-USDT: { book: shared }\n  ETH-USDT: { book: shared }\n",
  );
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: proxy.address,
    MM_CONFIG: `${dir}/mm.yaml`,
    MARKET_SYMBOLS: "BTC-USDT,ETH-USDT",
    STATE_DIR: dir,
    METRICS_ADDR: "off",
  });
  expect((await runner.exited).code).toBe(2);
  expect(runner.stderr()).toContain('share the book "shared"');
  expect(proxy.connections()).toBe(before);
});

it("refuses a spread that collapses at a first price that arrives only after start", async () => {
  prices.prices.set("SOL-USDT", "0.5");
  prices.failing.add("SOL-USDT");
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: proxy.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOL: "SOL-USDT",
    MARKET_MAKER_ID: "mm-late",
    PRICE_TICK: "0.01",
    UPDATE_INTERVAL_SECONDS: "0.3",
    STATE_DIR: tempDir(),
    METRICS_ADDR: "off",
  });
  await runner.waitForLog((line) => /no first price for SOL-USDT/.test(line.msg));
  prices.failing.delete("SOL-USDT");
  const exit = await runner.exited;
  expect(exit.code).toBe(2);
  expect(runner.stderr()).toContain("at SOL-USDT's price 0.5");
  expect(
    events.filter((event) => event.type === "order-created" && event.userAddress === "mm-late"),
  ).toEqual([]);
});
