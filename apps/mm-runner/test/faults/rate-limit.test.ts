/**
 * Fault 4: Binance answers 429 with `Retry-After`. The exchange server itself counts the
 * requests: none may arrive inside the window, while the chain moves on to Coinbase.
 */
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "../helpers/runner-process.ts";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { type FaultyExchanges, startFaultyExchanges } from "./harness/exchanges.ts";
import { ladderOf, pricesDerivableFrom, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { recordVenue, type VenueRecord } from "./harness/venue-record.ts";

const ID = "mm-f4";
const BOOK = "BTC-USDT";
const RETRY_AFTER_SECONDS = 2;

let venue: Venue;
let record: VenueRecord;
let exchanges: FaultyExchanges;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
  exchanges = await startFaultyExchanges({ [BOOK]: "50000" });
  exchanges.setPrice(BOOK, "50010", ["coinbase", "kraken"]);
});
afterAll(async () => {
  record?.stop();
  await venue?.close();
  await exchanges?.close();
});

const bestBid = () =>
  record
    .live(ID, BOOK)
    .filter((order) => order.side === "buy")
    .map((order) => samePrice(order.price))
    .sort((a, b) => Number(b) - Number(a))[0];

it("sends Binance nothing inside its Retry-After window, quotes from Coinbase meanwhile, and returns to Binance after", async () => {
  const runner = startFaultRunner({ id: ID, venue: venue.address, prices: exchanges.url });
  await waitFor(() => bestBid() === ladderOf("50000").bids[0], 20_000, "quoting on Binance");

  exchanges.setFault("binance", { kind: "rate-limit", retryAfterSeconds: RETRY_AFTER_SECONDS });
  await waitFor(() => exchanges.windows.length === 1, 20_000, "the 429");
  const window = exchanges.windows[0]!;
  const from = runner.logs.length;
  // Past the window, Binance is asked again and answers: the runner goes back to it.
  await waitFor(
    () => exchanges.requests.some((r) => r.exchange === "binance" && r.at >= window.until),
    20_000,
    "Binance asked again after the window",
  );
  await waitFor(() => bestBid() === ladderOf("50000").bids[0], 20_000, "back on Binance");

  // The server saw no request inside the window.
  expect(exchanges.requests.filter((r) => r.insideRetryAfter)).toEqual([]);
  const binance = exchanges.requests.filter((r) => r.exchange === "binance");
  expect(binance.filter((r) => r.at > window.from && r.at < window.until)).toEqual([]);
  // Meanwhile the chain moved on: every cycle quoted, from Coinbase while Binance waited.
  const during = runner.logs.slice(from).filter((line) => typeof line.cycle === "number");
  expect(during.filter((line) => line.outcome !== "quoted")).toEqual([]);
  expect(during.filter((line) => line.source === "coinbase").length).toBeGreaterThanOrEqual(3);
  expect(
    exchanges.requests.filter(
      (r) => r.exchange === "coinbase" && r.at > window.from && r.at < window.until,
    ).length,
  ).toBeGreaterThanOrEqual(3);
  expect(runner.lines(/rate-limited/)).toHaveLength(1);
  await runner.waitForLog((line) => /failback: coinbase → binance/.test(line.msg));

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, venue.liveOrders());
  expectNoSelfTrade(ID, venue.trades());
  expectPricedOnlyFrom(record.created(ID), pricesDerivableFrom(["50000", "50010"]));
});
