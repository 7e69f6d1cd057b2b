import { waitFor } from "@matchingo-mm/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { ladderOf, ladderPrices, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { createTaker, type Taker } from "./harness/taker.ts";

const ID = "mm-f10";
const BOOK = "BTC-USDT";
const LADDER = ladderOf("50000");

let taker: Taker;

const fixture = useFaultFixture({ [BOOK]: "50000" });

beforeAll(async () => {
  taker = createTaker(fixture.venue.address, "taker-1");
});
afterAll(async () => {
  taker?.close();
});

const at = (side: "buy" | "sell", price: string) =>
  fixture.record
    .live(ID, BOOK)
    .filter((order) => order.side === side && samePrice(order.price) === price);

it("detects fills by another participant, counts position and fills, and refills the level", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    ops: true,
  });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder");
  const bestBid = LADDER.bids[0]!;
  const bestAsk = LADDER.asks[0]!;
  const [hitBid] = at("buy", bestBid);
  expect(hitBid?.remainingQuantity).toBe("0.010");

  // A taker sells into our best bid: all of it.
  expect(await taker.take(BOOK, "sell", bestBid, "0.01")).toBe("0.010");
  const fill = await runner.waitForLog((line) => String(line.msg).startsWith("fill:"));
  expect(fill).toMatchObject({ orderId: hitBid!.orderId, side: "buy", quantity: "0.01" });
  expect(fill.position).toBe("0.01");
  // The cycle that saw the fill refilled the level with a new order.
  const seen = await runner.waitForLog(
    (line) => typeof line.cycle === "number" && Number(line.fills) > 0,
  );
  expect(seen).toMatchObject({ outcome: "quoted", fills: 1, placed: 1 });
  await waitFor(() => at("buy", bestBid).length === 1, 20_000, "the best bid refilled");
  expect(at("buy", bestBid)[0]!.orderId).not.toBe(hitBid!.orderId);
  expect(fixture.record.live(ID, BOOK)).toHaveLength(6);

  // Then buys 0.004 of our best ask: a partial fill, the level is topped up to full size.
  const [liftedAsk] = at("sell", bestAsk);
  expect(await taker.take(BOOK, "buy", bestAsk, "0.004")).toBe("0.004");
  const partial = await runner.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.orderId === liftedAsk!.orderId,
  );
  expect(partial).toMatchObject({ side: "sell", quantity: "0.004", remaining: "0.006" });
  expect(partial.position).toBe("0.006");
  await waitFor(
    () => at("sell", bestAsk).length === 1 && at("sell", bestAsk)[0]!.remainingQuantity === "0.010",
    20_000,
    "the best ask back at full size",
  );

  // /status agrees: two fills, 0.014 traded, long 0.006.
  await waitFor(
    async () => (await runner.status()).symbols[0]?.fills.count === 2,
    20_000,
    "/status to show both fills",
  );
  const symbol = (await runner.status()).symbols[0]!;
  expect(symbol.fills.volume).toBe("0.014");
  expect(symbol.position).toBe("0.006");

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  const trades = fixture.venue.trades(BOOK);
  expect(trades).toHaveLength(2);
  expect(trades.every((trade) => trade.takerUserAddress === "taker-1")).toBe(true);
  expectNoSelfTrade(ID, trades);
  expectPricedOnlyFrom(fixture.record.created(ID), ladderPrices("50000"));
});
