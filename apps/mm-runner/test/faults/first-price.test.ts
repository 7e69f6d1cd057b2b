import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import { waitFor } from "@matchingo-mm/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { ladderOf, ladderPrices } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { ownedBy } from "./harness/venue-record.ts";

/**
 * Issue 22, defect 1: with Binance answering 5000000.00 at start (100x the market) and
 * someone's sell of 1 resting at 50100, the runner quoted on the bad price and bought
 * every cycle (51 fills in 37 s), then refused the right price as a jump until restart.
 */
const ID = "mm-fp";
const BOOK = "BTC-USDT";
const BAD = "5000000.00";
const RIGHT = "50000.00";
const OTHER = "someone-else";

const fixture = useFaultFixture({ [BOOK]: BAD });
let other: MatchingoClient;

beforeAll(async () => {
  // Binance is the only source answering: Coinbase and Kraken fail.
  fixture.exchanges.setFault("coinbase", { kind: "error" });
  fixture.exchanges.setFault("kraken", { kind: "error" });
  other = createMatchingoClient({ address: fixture.venue.address, userAddress: OTHER });
  await other.ensureOrderBook(BOOK);
  await other.placeOrder({
    book: BOOK,
    orderId: `${OTHER}-sell-1`,
    side: "sell",
    price: "50100",
    quantity: "1",
  });
});
afterAll(() => other?.close());

const binanceAsked = () =>
  fixture.exchanges.requests.filter((request) => request.exchange === "binance").length;

it("never quotes a bad first price and takes the right one once it is confirmed (issue 22)", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    ops: true,
    // One source: a first price must hold for 8 rounds (a second apart) before it is quoted.
    env: { FIRST_PRICE_CONFIRMATIONS: "8" },
  });
  const ops = await runner
    .waitForLog((line) => typeof line.ops === "string", 20_000)
    .then((line) => line.ops as string);

  // Several cycles while Binance says 5000000.00: the symbol is not ready, and says why.
  await waitFor(() => runner.cycles().length >= 4, 20_000, "four cycles");
  // The venue's own records: no order of ours, so no trade (the issue saw fills each cycle).
  expect(fixture.record.created(ID).map((order) => order.price)).toEqual([]);
  expect(fixture.venue.trades(BOOK)).toEqual([]);
  const reasons = await waitFor(
    async () => {
      const response = await fetch(`http://${ops}/readyz`);
      const body = (await response.json()) as {
        symbols: Record<string, { reasons: readonly string[] }>;
      };
      const said = body.symbols[BOOK]?.reasons.join(" | ") ?? "";
      return response.status === 503 && said.includes(`binance says ${BAD}`) ? said : undefined;
    },
    20_000,
    "/readyz saying the price is not trusted",
  );
  expect(reasons).toContain("quotes pulled: the price is not trusted");
  const trust = (await runner.status()).symbols[0]!.feed?.trust;
  expect(trust).toMatchObject({ trusted: false, reason: "unconfirmed" });
  // It held for fewer rounds than the eight it needs (rounds count a second apart).
  expect(trust?.message).toMatch(/taken once it holds for 8 rounds \([1-7] so far\)/);
  const metrics = await (await fetch(`http://${ops}/metrics`)).text();
  expect(metrics).toMatch(
    /mm_price_untrusted_total\{symbol="BTC-USDT",reason="unconfirmed"\} [1-9]/,
  );
  expect(metrics).toMatch(/mm_price_trusted\{symbol="BTC-USDT"\} 0/);
  expect(binanceAsked()).toBeGreaterThan(1);

  // The feed comes back to the market's price.
  fixture.exchanges.setPrice(BOOK, RIGHT, ["binance"]);

  // Once it held, it is quoted on.
  await waitFor(
    () =>
      fixture.record.live(ID, BOOK).length === 6 &&
      fixture.record.bestBid(ID, BOOK) === ladderOf(RIGHT).bids[0],
    30_000,
    `quoting at ${RIGHT}`,
  );
  await runner.waitForLog((line) =>
    /^price of BTC-USDT trusted: 50000.00 \(binance held it/.test(String(line.msg)),
  );
  expect((await runner.status()).symbols[0]!.feed?.trust).toMatchObject({
    trusted: true,
    reference: RIGHT,
  });

  // The venue's own records: nothing of ours was ever priced off 5000000, nothing traded,
  // and the other participant's sell still rests whole.
  expectPricedOnlyFrom(fixture.record.created(ID), ladderPrices(RIGHT));
  expect(fixture.venue.trades(BOOK)).toEqual([]);
  const resting = fixture.venue.liveOrders(BOOK).filter((order) => order.userAddress === OTHER);
  expect(resting.map((order) => [order.price, order.remainingQuantity])).toEqual([
    ["50100.000", "1.000"],
  ]);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expect(fixture.venue.trades().filter((t) => ownedBy(ID)(t.takerUserAddress))).toEqual([]);
});

it("learns from CreateOrder's answer the price a crossing order traded at (the resting one)", async () => {
  const ours = createMatchingoClient({ address: fixture.venue.address, userAddress: `${ID}-x` });
  try {
    const placed = await ours.placeOrder({
      book: BOOK,
      orderId: `${ID}-x-buy-1`,
      side: "buy",
      price: "4997500",
      quantity: "0.01",
    });
    expect(placed).toMatchObject({ status: "filled", filledQuantity: "0.010" });
    expect(placed.trades).toEqual([{ price: "50100.000", quantity: "0.010" }]);
  } finally {
    ours.close();
  }
});

it("never quotes a price outside PRICE_MIN..PRICE_MAX, even one every source agrees on", async () => {
  const id = "mm-fp-band";
  fixture.exchanges.setFault("coinbase", undefined);
  fixture.exchanges.setFault("kraken", undefined);
  fixture.exchanges.setPrice(BOOK, BAD);
  const runner = startFaultRunner({
    id,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    ops: true,
    env: { PRICE_MIN: "1000", PRICE_MAX: "1000000" },
  });
  await waitFor(() => runner.cycles().length >= 4, 20_000, "four cycles");
  expect(fixture.record.created(id)).toEqual([]);
  const trust = (await runner.status()).symbols[0]!.feed?.trust;
  expect(trust).toMatchObject({ trusted: false, reason: "out-of-band" });
  expect(trust?.message).toBe(`binance says ${BAD}, above PRICE_MAX 1000000`);
  expect(runner.cycles().every((line) => line.outcome === "pulled")).toBe(true);
  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expect(fixture.record.created(id)).toEqual([]);
});
