import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PriceFeed, PriceTick } from "@matchingo-mm/core";
import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { waitFor } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resolveConfig } from "../src/config/resolve.ts";
import { openLedger } from "../src/ledger/ledger.ts";
import { createSymbolBooks } from "../src/ledger/symbol-books.ts";
import { createSymbolTracker } from "../src/status/symbol-tracker.ts";
import { createSupervisor } from "../src/supervisor.ts";
import { recordVenue, type VenueRecord } from "./faults/harness/venue-record.ts";

let venue: Venue;
let record: VenueRecord;
beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
});
afterAll(async () => {
  record?.stop();
  await venue?.close();
});

/** The main thread's feed as a streaming one looks to the supervisor: `latest` and push. */
function pushingFeed(start: string) {
  let price = start;
  const listeners = new Set<{ symbol: string; listener: (tick: PriceTick) => void }>();
  const tick = (symbol: string): PriceTick => ({
    symbol,
    price,
    receivedAt: Date.now(),
    source: "test-stream",
  });
  const feed: PriceFeed = {
    latest: async (symbol) => tick(symbol),
    subscribe(symbol, listener) {
      const entry = { symbol, listener };
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
  };
  return {
    feed,
    step(next: string) {
      price = next;
      for (const { symbol, listener } of [...listeners]) listener(tick(symbol));
    },
    get listeners() {
      return listeners.size;
    },
  };
}

it("a pushed price step reaches the venue as the full new ladder long before the next interval", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mm-push-"));
  const { config } = resolveConfig({
    argv: [],
    env: { MARKET_MAKER_ID: "mm-push", UPDATE_INTERVAL_SECONDS: "600" },
    cwd: dir,
  });
  const symbol = config!.symbols[0]!;
  const prices = pushingFeed("50000.00");
  // The process's one venue client: the worker's calls are made on it.
  const client = createMatchingoClient({ address: venue.address });
  const ledger = openLedger(join(dir, "ledger.sqlite"));
  const supervisor = createSupervisor({
    symbols: [symbol],
    runnerDir: dir,
    venue: { deadlineMs: 5_000 },
    createOrderBook: true,
    workerShutdownMs: 5_000,
    logger: pino({ level: "silent" }),
    feed: prices.feed,
    gateway: client,
    books: createSymbolBooks(ledger, ({ error }) => {
      throw error;
    }),
    checked: new Set(),
    trackers: new Map([[symbol.symbol, createSymbolTracker(symbol)]]),
    onConfigProblems: (problems) => {
      throw new Error(`unexpected config problems: ${JSON.stringify(problems)}`);
    },
  });
  const bids = () =>
    record
      .live(symbol.marketMakerId, symbol.book)
      .filter((o) => o.side === "buy")
      .map((o) => Number(o.price))
      .sort((a, b) => b - a);
  supervisor.start();
  try {
    await waitFor(() => bids().length === 3, 20_000, "the first ladder");
    expect(bids()).toEqual([49975, 49950, 49925]);
    expect(prices.listeners).toBe(1);

    prices.step("50100.00"); // the interval is 10 minutes: only the push can requote now
    await waitFor(() => bids()[0] === 50074.95 && bids().length === 3, 10_000, "the new ladder");
    expect(bids()).toEqual([50074.95, 50049.9, 50024.85]);
  } finally {
    const [stopped] = await supervisor.stop(10_000);
    client.close();
    ledger.close();
    expect(stopped?.summary).toMatchObject({ failed: [] });
  }
  expect(record.live(symbol.marketMakerId, symbol.book)).toEqual([]);
  expect(prices.listeners).toBe(0);
});
