/**
 * Fault 6: one source jumps 30 %. Unconfirmed, no order at the jumped level may ever reach
 * the venue (not while others disagree, nor when it is the only source left); once a
 * second source confirms the new level, the runner follows it.
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
import { ladderOf, ladderPrices, pricesDerivableFrom, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { recordVenue, type VenueRecord } from "./harness/venue-record.ts";

const ID = "mm-f6";
const BOOK = "BTC-USDT";
const BEFORE = "50000";
const JUMPED = "65000"; // +30 %

let venue: Venue;
let record: VenueRecord;
let exchanges: FaultyExchanges;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
  exchanges = await startFaultyExchanges({ [BOOK]: BEFORE });
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
const quotingOn = (price: string) => () =>
  record.live(ID, BOOK).length === 6 && bestBid() === ladderOf(price).bids[0];

it("never places an order at an unconfirmed 30 % jump, and follows it once a second source confirms", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: venue.address,
    prices: exchanges.url,
    env: { MAX_PRICE_AGE_SECONDS: "1.5" },
  });
  await waitFor(quotingOn(BEFORE), 20_000, "quoting at 50000");

  // Binance alone jumps; Coinbase and Kraken still say 50000: the runner stays at 50000.
  exchanges.setPrice(BOOK, JUMPED, ["binance"]);
  await waitFor(() => runner.lines(/price jump rejected/).length >= 2, 20_000, "rejections");
  const cyclesNow = runner.cycles().length;
  await waitFor(() => runner.cycles().length >= cyclesNow + 3, 20_000, "three more cycles");
  expect(quotingOn(BEFORE)()).toBe(true);

  // Binance is the only source left: its jump is still refused, the quotes are pulled.
  exchanges.setFault("coinbase", { kind: "error" });
  exchanges.setFault("kraken", { kind: "error" });
  await runner.waitForLog((line) => /^quotes pulled/.test(line.msg));
  await waitFor(() => record.live(ID, BOOK).length === 0, 20_000, "the quotes pulled");

  // Nothing at the jumped level has reached the venue so far.
  const confirmFrom = record.mark();
  const jumpedLevels = ladderPrices(JUMPED);
  expect(record.created(ID).filter((order) => jumpedLevels.has(samePrice(order.price)))).toEqual(
    [],
  );
  expectPricedOnlyFrom(record.created(ID), ladderPrices(BEFORE));

  // Coinbase and Kraken come back at the new level: confirmed, the runner follows.
  exchanges.setPrice(BOOK, JUMPED, ["coinbase", "kraken"]);
  exchanges.setFault("coinbase", undefined);
  exchanges.setFault("kraken", undefined);
  await waitFor(quotingOn(JUMPED), 20_000, "quoting at 65000");
  await runner.waitForLog((line) => /jump confirmed by a second source/.test(line.msg));
  const afterConfirm = record.events.slice(confirmFrom);
  expect(afterConfirm.filter((e) => e.type === "order-created").length).toBeGreaterThanOrEqual(6);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, venue.liveOrders());
  expectNoSelfTrade(ID, venue.trades());
  expectPricedOnlyFrom(record.created(ID), pricesDerivableFrom([BEFORE, JUMPED]));
});
