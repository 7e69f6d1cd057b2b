/**
 * Issue 20: the runner (built, a child process) against the real Matchingo with its Kafka.
 * Everything is checked from the venue's own answers: the requests the server logged (which
 * orders were created and cancelled, in which order) and GetOrder on their ids.
 */

import { seedCycle, waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { startFaultRunner } from "../faults/harness/runner.ts";
import { describeRealVenue, useRealVenue } from "./fixture.ts";

const SEED_BOOK = "BTC-USDT";
const ORPHAN_BOOK = "ETH-USDT";
const RESTART_BOOK = "SOL-USDT";

/** The seed's worked example (README): P = 50000, then 50100; 3 levels, tick 0.01. */
const SEED_ENV = { PRICE_TICK: "0.01", QTY_STEP: "0.001" };
// Each level as the venue view shows it: price and size.
const CYCLE_1 = seedCycle(1, { suffix: " 0.01" });
const CYCLE_2 = seedCycle(2, { suffix: " 0.01" });

describeRealVenue("the runner against the real Matchingo with Kafka", 4, () => {
  const fixture = useRealVenue({
    [SEED_BOOK]: "50000.00",
    [ORPHAN_BOOK]: "3000.00",
    [RESTART_BOOK]: "150.00",
  });

  async function waitForLadder(
    book: string,
    user: string,
    want: { bids: string[]; asks: string[] },
    timeoutMs = 30_000,
  ): Promise<void> {
    let last: unknown;
    await waitFor(
      async () => {
        last = await fixture.view.ladder(book, user);
        return JSON.stringify(last) === JSON.stringify(want);
      },
      timeoutMs,
      `the ladder ${JSON.stringify(want)} on ${book}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the venue holds ${JSON.stringify(last)}`);
    });
  }

  it.each([
    ["poll", {}],
    ["stream", { PRICE_FEED: "stream" }],
  ] as const)(
    "PRICE_FEED=%s: the seed's worked example to the cent for both cycles; SIGTERM leaves the book empty",
    async (feed, feedEnv) => {
      const id = `mm-seed-${feed}`;
      fixture.prices.prices.set(SEED_BOOK, "50000.00");
      const runner = startFaultRunner({
        id,
        venue: fixture.venue.address,
        prices: fixture.prices.url,
        symbols: [SEED_BOOK],
        env: {
          ...SEED_ENV,
          PRICE_FEED: "poll",
          ...(feed === "stream" ? fixture.prices.env : {}),
          ...feedEnv,
        },
      });
      await waitForLadder(SEED_BOOK, id, CYCLE_1);
      fixture.prices.prices.set(SEED_BOOK, "50100.00");
      await waitForLadder(SEED_BOOK, id, CYCLE_2);

      expect(await runner.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(await fixture.view.live(SEED_BOOK, id)).toEqual([]);
      // Nobody trades on this book now: reading it whole is safe.
      const book = await fixture.client.getOrderBookState(SEED_BOOK);
      expect({ bids: book.bids, asks: book.asks }).toEqual({ bids: [], asks: [] });
      // That read shows in the server's request log (its line may come just after the
      // answer), as a runner's would: the trading tests check that the runner never makes one.
      await waitFor(
        () => fixture.view.requests(SEED_BOOK).some((r) => r.method === "GetOrderBookState"),
        10_000,
        "the GetOrderBookState line in the server's log",
      );
    },
  );

  it("SIGKILL, then a restart cancels every orphan before it places anything", async () => {
    const id = "mm-orphans";
    const first = startFaultRunner({
      id,
      venue: fixture.venue.address,
      prices: fixture.prices.url,
      symbols: [ORPHAN_BOOK],
    });
    await waitFor(
      async () => (await fixture.view.live(ORPHAN_BOOK, id)).length === 6,
      30_000,
      "the first ladder",
    );
    await first.stop("SIGKILL");
    const orphans = (await fixture.view.live(ORPHAN_BOOK, id)).map((order) => order.orderId);
    expect(orphans).toHaveLength(6);
    const before = fixture.view.requests(ORPHAN_BOOK).length;

    const second = startFaultRunner({
      id,
      venue: fixture.venue.address,
      prices: fixture.prices.url,
      symbols: [ORPHAN_BOOK],
      stateDir: first.stateDir,
    });
    await waitFor(
      async () => {
        const live = await fixture.view.live(ORPHAN_BOOK, id);
        return live.length === 6 && live.every((order) => !orphans.includes(order.orderId));
      },
      30_000,
      "a new ladder and no orphan",
    );
    // In the order the venue received them: every orphan's cancel came before the first create.
    await fixture.view.sync(ORPHAN_BOOK);
    const after = fixture.view.requests(ORPHAN_BOOK).slice(before);
    const firstCreate = after.findIndex((request) => request.method === "CreateOrder");
    const cancelled = after
      .slice(0, firstCreate)
      .filter((request) => request.method === "CancelOrder")
      .map((request) => request.orderId);
    expect(firstCreate).toBeGreaterThan(0);
    expect(new Set(cancelled)).toEqual(new Set(orphans));

    expect(await second.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(await fixture.view.live(ORPHAN_BOOK, id)).toEqual([]);
  });

  // Last in the file: the restart empties the venue of every book.
  it("the server killed and started again empty: the whole ladder is back within two intervals", async () => {
    const id = "mm-restart";
    const runner = startFaultRunner({
      id,
      venue: fixture.venue.address,
      prices: fixture.prices.url,
      symbols: [RESTART_BOOK],
      env: { UPDATE_INTERVAL_SECONDS: "1" },
    });
    const full = async () => {
      const live = await fixture.view.live(RESTART_BOOK, id);
      return live.length === 6 ? live.map((order) => `${order.side} ${order.price}`).sort() : false;
    };
    const ladder = await waitFor(full, 30_000, "the first ladder");
    const oldIds = (await fixture.view.live(RESTART_BOOK, id)).map((order) => order.orderId);
    const before = fixture.view.requests(RESTART_BOOK).length;

    await fixture.venue.restart();
    const restartedAt = Date.now();
    // Started again empty: the orders it held are gone for good (ids are never reused).
    for (const orderId of oldIds) {
      expect(await fixture.view.orderState(RESTART_BOOK, orderId)).toEqual({ state: "gone" });
    }
    expect(await waitFor(full, 30_000, "the ladder on the restarted venue")).toEqual(ladder);
    const backMs = Date.now() - restartedAt;

    // Counted in the runner's cycles as the venue saw them (each starts with GetOrderBook):
    // all six creates arrived before the third cycle after the restart began.
    await fixture.view.sync(RESTART_BOOK);
    const after = fixture.view.requests(RESTART_BOOK).slice(before);
    const cycleStarts = after
      .map((request, index) => (request.method === "GetOrderBook" ? index : -1))
      .filter((index) => index >= 0);
    const creates = after
      .map((request, index) => (request.method === "CreateOrder" ? index : -1))
      .filter((index) => index >= 0);
    expect(creates).toHaveLength(6);
    const third = cycleStarts[2] ?? Number.POSITIVE_INFINITY;
    expect(
      Math.max(...creates),
      `creates at ${creates}, cycles at ${cycleStarts}; back after ${backMs} ms`,
    ).toBeLessThan(third);
    console.log(
      `real venue restarted empty: the ladder was back after ${backMs} ms (interval 1 s)`,
    );

    expect(await runner.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(await fixture.view.live(RESTART_BOOK, id)).toEqual([]);
  });
});
