/**
 * Issue 20: another participant trades with the runner on the real Matchingo (with Kafka, a
 * trade takes milliseconds; without it the server stalls every trading CreateOrder). The
 * taker is a plain gRPC client; what it traded is the venue's answer to its CreateOrder, and
 * the ladder afterwards is read with GetOrder on the ids the server logged.
 */

import { waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { startFaultRunner } from "../faults/harness/runner.ts";
import { createTaker } from "../faults/harness/taker.ts";
import { describeRealVenue, useRealVenue } from "./fixture.ts";
import { samePrice } from "./venue-view.ts";

const SWEEP_BOOK = "BTC-USDT";
const LIMIT_BOOK = "ETH-USDT";

describeRealVenue("a taker trading with the runner on the real Matchingo with Kafka", 2, () => {
  const fixture = useRealVenue({ [SWEEP_BOOK]: "50000", [LIMIT_BOOK]: "3000" });

  const sideOf = async (book: string, id: string, side: "buy" | "sell") =>
    (await fixture.view.live(book, id)).filter((order) => order.side === side);

  it("a taker lifting two asks is filled by the venue, the runner counts the fills and refills both levels", async () => {
    const id = "mm-sweep";
    const runner = startFaultRunner({
      id,
      venue: fixture.venue.address,
      prices: fixture.prices.url,
      symbols: [SWEEP_BOOK],
      ops: true,
    });
    await waitFor(
      async () => (await fixture.view.live(SWEEP_BOOK, id)).length === 6,
      30_000,
      "the ladder",
    );
    const asks = (await sideOf(SWEEP_BOOK, id, "sell")).sort(
      (a, b) => Number(a.price) - Number(b.price),
    );
    expect(asks.map((order) => samePrice(order.price))).toEqual(["50025", "50050", "50075"]);

    const taker = createTaker(fixture.venue.address, "taker-sweep");
    try {
      // Up to the second level: 0.01 at 50025 and 0.01 at 50050.
      expect(await taker.take(SWEEP_BOOK, "buy", "50050", "0.03")).toBe("0.020");
    } finally {
      taker.close();
    }
    const swept = asks.slice(0, 2).map((order) => order.orderId);
    for (const orderId of swept) {
      expect(await fixture.client.getOrder(SWEEP_BOOK, orderId)).toEqual({ state: "gone" });
    }
    // The runner learned the fills (its position is what the taker took from it) ...
    await waitFor(
      async () => (await runner.status()).symbols[0]?.position === "-0.02",
      30_000,
      "the runner's position at -0.02",
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; status ${JSON.stringify(await runner.status())}`);
    });
    // ... and put both levels back with new orders: the venue holds the whole ladder again.
    await waitFor(
      async () => {
        const live = await sideOf(SWEEP_BOOK, id, "sell");
        const prices = live.map((order) => samePrice(order.price)).sort();
        return (
          JSON.stringify(prices) === JSON.stringify(["50025", "50050", "50075"]) &&
          live.every((order) => !swept.includes(order.orderId))
        );
      },
      30_000,
      "both swept asks refilled",
    );
    expect(await sideOf(SWEEP_BOOK, id, "buy")).toHaveLength(3);

    expect(await runner.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(await fixture.view.live(SWEEP_BOOK, id)).toEqual([]);
    // The runner never read the whole book: a cancel that empties a level mid-read can panic
    // the real server (nothing else reads this book).
    await fixture.view.sync(SWEEP_BOOK);
    expect(
      fixture.view.requests(SWEEP_BOOK).filter((r) => r.method === "GetOrderBookState"),
    ).toEqual([]);
  });

  it("MAX_POSITION holds under sweeps: the venue never fills more than the limit, and no bid rests at it", async () => {
    const id = "mm-limit";
    const runner = startFaultRunner({
      id,
      venue: fixture.venue.address,
      prices: fixture.prices.url,
      symbols: [LIMIT_BOOK],
      env: { MAX_POSITION: "0.02" },
    });
    // Room for 0.02 a side: two bids and two asks of 0.01 out of three levels.
    await waitFor(
      async () =>
        (await sideOf(LIMIT_BOOK, id, "buy")).length === 2 &&
        (await sideOf(LIMIT_BOOK, id, "sell")).length === 2,
      30_000,
      "two bids and two asks",
    );

    const taker = createTaker(fixture.venue.address, "taker-limit");
    const filled: string[] = [];
    try {
      // Sell far below the ladder, again and again while the runner reacts.
      for (let sweep = 0; sweep < 5; sweep++) {
        filled.push(await taker.take(LIMIT_BOOK, "sell", "2900", "0.05"));
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    } finally {
      taker.close();
    }
    const total = filled.reduce((sum, quantity) => sum + Math.round(Number(quantity) * 1000), 0);
    expect(total, `fills per sweep ${filled}`).toBe(20);

    // At the limit the runner rests no bid, and the short side has room for the whole ladder.
    await waitFor(
      async () => (await sideOf(LIMIT_BOOK, id, "sell")).length === 3,
      30_000,
      "three asks at a position of +0.02",
    );
    expect(await sideOf(LIMIT_BOOK, id, "buy")).toEqual([]);
    // It reached the limit with the first sweep, and sent no bid after that one.
    await fixture.view.sync(LIMIT_BOOK);
    const firstSweepSeq = fixture.view
      .requests(LIMIT_BOOK)
      .filter((request) => request.user === "taker-limit")
      .map((request) => request.seq)[0];
    const bidsAfter = fixture.view
      .creates(LIMIT_BOOK, id)
      .filter((request) => request.side === "buy" && request.seq > (firstSweepSeq ?? 0));
    expect(bidsAfter).toEqual([]);

    expect(await runner.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(await fixture.view.live(LIMIT_BOOK, id)).toEqual([]);
    // The runner never read the whole book: a cancel that empties a level mid-read can panic
    // the real server (nothing else reads this book).
    await fixture.view.sync(LIMIT_BOOK);
    expect(
      fixture.view.requests(LIMIT_BOOK).filter((r) => r.method === "GetOrderBookState"),
    ).toEqual([]);
  });
});
