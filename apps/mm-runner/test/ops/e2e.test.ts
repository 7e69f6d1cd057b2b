/**
 * The ops endpoint of a real runner: the runner as a child process (`node --import tsx
 * src/main.ts`), a venue and a price server of our own on 127.0.0.1, and the page in
 * headless Chromium.
 */
import { createServer } from "node:net";
import {
  killAllRunners,
  type PriceServer,
  type RunnerProcess,
  startPriceServer,
  startRunnerProcess,
  tempDir,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Readiness, RunnerStatus } from "../../src/ops/index.ts";
import { launchChromium } from "./browser.ts";
import { sample, waitFor } from "./scrape.ts";

const SYMBOLS = ["BTC-USDT", "ETH-USDT"] as const;
const LEVELS = 3;

/** A port nobody listens on right now (the runner's METRICS_ADDR wants a concrete one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let venue: Venue;
let venuePort: number;
let prices: PriceServer;
let runner: RunnerProcess;
let ops: string;

const get = (path: string) => fetch(`http://${ops}${path}`);
const scrape = async () => (await get("/metrics")).text();
const status = async () => (await (await get("/status")).json()) as RunnerStatus;
const readiness = async () => {
  const response = await get("/readyz");
  return { status: response.status, body: (await response.json()) as Readiness };
};

beforeAll(async () => {
  venue = await startVenue();
  venuePort = venue.port;
  prices = await startPriceServer({ "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" });
  const metricsPort = await freePort();
  runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOLS: SYMBOLS.join(","),
    MARKET_MAKER_ID: "mm-ops",
    NUM_LEVELS: String(LEVELS),
    ORDER_SIZE: "0.01",
    PRICE_TICK: "0.01",
    UPDATE_INTERVAL_SECONDS: "0.2",
    STATE_DIR: tempDir("mm-ops-e2e-"),
    METRICS_ADDR: `127.0.0.1:${metricsPort}`,
    LOG_LEVEL: "info",
  });
  const line = await runner.waitForLog((log) => typeof log.ops === "string", 20_000);
  ops = line.ops as string;
  expect(ops).toBe(`127.0.0.1:${metricsPort}`);
});

afterAll(async () => {
  killAllRunners();
  await prices?.close();
  await venue?.close();
});

describe("the ops endpoint of a running runner", () => {
  it("answers /healthz and turns ready once every symbol quotes", async () => {
    expect((await get("/healthz")).status).toBe(200);
    const ready = await waitFor("/readyz 200", async () => {
      const answer = await readiness();
      return answer.status === 200 && answer;
    });
    expect(Object.keys(ready.body.symbols).sort()).toEqual([...SYMBOLS].sort());
  });

  it("shows cycles and live orders moving on /metrics", async () => {
    const first = await scrape();
    const cycles = (text: string, symbol: string) =>
      sample(text, "mm_cycles_total", { symbol, outcome: "quoted" }) ?? 0;
    for (const symbol of SYMBOLS) {
      expect(sample(first, "mm_live_orders", { symbol, side: "buy" })).toBe(LEVELS);
      expect(sample(first, "mm_live_orders", { symbol, side: "sell" })).toBe(LEVELS);
      expect(cycles(first, symbol)).toBeGreaterThan(0);
      expect(
        sample(first, "mm_rpc_total", { symbol, method: "CreateOrder", code: "OK" }),
      ).toBeGreaterThanOrEqual(2 * LEVELS);
      expect(sample(first, "mm_price_source", { symbol, source: "binance" })).toBe(1);
    }
    // The counters move with time: later scrapes see more cycles.
    await waitFor("more cycles", async () => {
      const later = await scrape();
      return SYMBOLS.every((symbol) => cycles(later, symbol) > cycles(first, symbol));
    });
    // And the live orders follow the book: after a new price the ladder moves to new ids,
    // and once the venue settles the gauge and /status agree with what the venue holds.
    const before = new Set((await status()).symbols[0]!.bids.map((order) => order.orderId));
    prices.prices.set("BTC-USDT", "50100.00");
    await waitFor("the BTC ladder settled around 50100", async () => {
      const onVenue = venue.liveOrders("BTC-USDT");
      const bids = onVenue.filter((order) => order.side === "buy");
      const settled =
        onVenue.length === 2 * LEVELS && bids.every((order) => Number(order.price) > 50000);
      if (!settled) return false;
      const text = await scrape();
      const btc = (await status()).symbols.find((symbol) => symbol.symbol === "BTC-USDT")!;
      const ids = new Set(onVenue.map((order) => order.orderId));
      return (
        sample(text, "mm_live_orders", { symbol: "BTC-USDT", side: "buy" }) === LEVELS &&
        sample(text, "mm_live_orders", { symbol: "BTC-USDT", side: "sell" }) === LEVELS &&
        [...btc.bids, ...btc.asks].every((order) => ids.has(order.orderId))
      );
    });
    const moved = (await status()).symbols.find((symbol) => symbol.symbol === "BTC-USDT")!;
    for (const order of moved.bids) expect(before.has(order.orderId)).toBe(false);
    expect(
      sample(await scrape(), "mm_orders_canceled_total", {
        symbol: "BTC-USDT",
        side: "buy",
        outcome: "canceled",
      }),
    ).toBeGreaterThanOrEqual(LEVELS);
  });

  it("serves /status with both symbols, their ladders and prices", async () => {
    const now = await status();
    expect(now.venue.address).toBe(venue.address);
    expect(now.synthetic).toBe(false);
    const eth = now.symbols.find((symbol) => symbol.symbol === "ETH-USDT")!;
    expect(eth.price).toMatchObject({ value: "3000.00", source: "binance" });
    expect(eth.bids).toHaveLength(LEVELS);
    expect(eth.asks).toHaveLength(LEVELS);
    const ids = new Set(venue.liveOrders("ETH-USDT").map((order) => order.orderId));
    for (const order of [...eth.bids, ...eth.asks]) expect(ids.has(order.orderId)).toBe(true);
  });

  it("turns /readyz 503 with reasons while the venue is down, and 200 when it is back", async () => {
    await venue.close();
    // Each symbol's loop notices at its next cycle: wait for both.
    const down = await waitFor("/readyz 503 for every symbol", async () => {
      const answer = await readiness();
      const allDown = SYMBOLS.every((symbol) => answer.body.symbols[symbol]?.state !== "quoting");
      return answer.status === 503 && allDown && answer;
    });
    expect(down.body.ready).toBe(false);
    for (const symbol of SYMBOLS) {
      expect(down.body.symbols[symbol]?.state).not.toBe("quoting");
      expect(down.body.symbols[symbol]?.reasons.length).toBeGreaterThan(0);
    }
    expect(JSON.stringify(down.body)).toMatch(/venue/i);
    expect((await get("/healthz")).status).toBe(200);

    // The same address, a fresh venue that lost every book and order.
    venue = await startVenue({ port: venuePort });
    await waitFor("/readyz 200 again", async () => (await readiness()).status === 200, 30_000);
    for (const symbol of SYMBOLS) {
      const live = venue
        .liveOrders(symbol)
        .filter((order) => order.userAddress.startsWith("mm-ops"));
      expect(live).toHaveLength(2 * LEVELS);
    }
    expect(sample(await scrape(), "mm_venue_lost_total", { symbol: "BTC-USDT" })).toBeGreaterThan(
      0,
    );
  });

  it("shows every symbol with its live price in the page, and price updates without reload", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`http://${ops}/`);
      const priceOf = (symbol: string) =>
        page.locator(`[data-symbol="${symbol}"] [data-testid="price"]`);
      await expect
        .poll(() => priceOf("BTC-USDT").textContent(), { timeout: 10_000 })
        .toBe("50100.00");
      await expect
        .poll(() => priceOf("ETH-USDT").textContent(), { timeout: 10_000 })
        .toBe("3000.00");
      await expect
        .poll(() => page.locator('[data-symbol="ETH-USDT"] tr.bid').count(), { timeout: 10_000 })
        .toBe(LEVELS);

      prices.prices.set("ETH-USDT", "3012.34");
      await expect
        .poll(() => priceOf("ETH-USDT").textContent(), { timeout: 10_000 })
        .toBe("3012.34");
      expect(await page.locator("#synthetic-banner").isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it("closes the endpoint on SIGTERM, leaving none of our orders on the venue", async () => {
    runner.kill("SIGTERM");
    const exit = await runner.exited;
    expect(exit.code, runner.stdout().split("\n").slice(-25).join("\n")).toBe(0);
    for (const symbol of SYMBOLS) {
      expect(
        venue.liveOrders(symbol).filter((order) => order.userAddress.startsWith("mm-ops")),
      ).toEqual([]);
    }
    await expect(get("/healthz")).rejects.toThrow();
  });
});
