/**
 * Fault: the venue's first trade stalls. Matchingo without Kafka answers a CreateOrder that
 * trades only after its Kafka producer gives up, whatever the client's deadline; the order
 * has matched and rested by then. Here another participant's resting ask sits below where
 * our best bid will go: our bid crosses it, trades part, rests the rest, and its answer comes
 * long after MATCHINGO_DEADLINE_SECONDS. The runner must treat that create as landed-maybe,
 * find it and cancel it, and leave nothing behind on SIGTERM.
 */
import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { type FaultyExchanges, startFaultyExchanges, waitFor } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectNoneOfOursLive } from "./harness/assertions.ts";
import { ladderOf, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { recordVenue, type VenueRecord } from "./harness/venue-record.ts";

const ID = "mm-stall";
const BOOK = "BTC-USDT";
const DEADLINE_MS = 300;
const STALL_MS = 2_500;
const LADDER = ladderOf("50000");

let venue: Venue;
let record: VenueRecord;
let exchanges: FaultyExchanges;
/** What the runner reported about the stalled order: its fill lines, read before SIGTERM. */
let stalled: { orderId: string; fills: unknown[] } | undefined;

beforeAll(async () => {
  venue = await startVenue({ firstTradeStallMs: STALL_MS });
  record = recordVenue(venue);
  exchanges = await startFaultyExchanges({ [BOOK]: "50000" });
});
afterAll(async () => {
  record?.stop();
  await venue?.close();
  await exchanges?.close();
});

it("tracks and cancels a crossing create that outlives its deadline and lands anyway", async () => {
  // Someone else's ask, half our size, 5 below where our best bid goes (49975).
  const other = createMatchingoClient({ address: venue.address, userAddress: "other-1" });
  try {
    await other.ensureOrderBook(BOOK);
    await other.placeOrder({
      book: BOOK,
      orderId: "other-ask",
      side: "sell",
      price: "49970",
      quantity: "0.005",
    });
  } finally {
    other.close();
  }

  const runner = startFaultRunner({
    id: ID,
    venue: venue.address,
    prices: exchanges.url,
    env: { MATCHINGO_DEADLINE_SECONDS: String(DEADLINE_MS / 1000) },
  });

  // Our best bid crossed the ask: it traded 0.005 and rests with 0.005, answer stalled.
  const trade = await waitFor(
    () => venue.trades(BOOK).find((t) => t.makerOrderId === "other-ask"),
    20_000,
    "our bid to cross the other ask",
  );
  expect(trade).toMatchObject({ takerUserAddress: ID, price: "49970.000", quantity: "0.005" });
  const crossing = trade.takerOrderId;

  // The runner gave up on that create (deadline), the venue kept the order; it must be
  // found and cancelled while the runner runs, not merely at shutdown.
  await waitFor(
    () => record.canceled(ID, BOOK).some((event) => event.orderId === crossing),
    30_000,
    `the runner to cancel ${crossing}, which landed after its deadline`,
  ).catch((error: Error) => {
    const live = record.live(ID, BOOK).map((o) => `${o.orderId}@${o.price}`);
    throw new Error(`${error.message}; our live orders: ${live.join(", ")}`);
  });
  // It was a deadline on our side, not an answer: the runner logged the create as uncertain.
  expect(runner.lines(/^place failed$/).filter((line) => line.orderId === crossing)).toContainEqual(
    expect.objectContaining({ uncertain: true }),
  );
  // And the ladder is whole again, exactly once.
  const ladder = await waitFor(
    () => {
      const live = record.live(ID, BOOK);
      return live.length === 6 && !live.some((o) => o.orderId === crossing) && live;
    },
    30_000,
    "exactly the ladder, without the stalled order",
  );
  expect(
    ladder
      .filter((o) => o.side === "buy")
      .map((o) => samePrice(o.price))
      .sort()
      .reverse(),
  ).toEqual(LADDER.bids);

  stalled = {
    orderId: crossing,
    fills: runner
      .lines(/^fill: /)
      .filter((line) => line.orderId === crossing)
      .map((line) => ({ quantity: line.quantity, position: line.position })),
  };

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, venue.liveOrders());
  // Nothing of anyone's is left: the other ask was used up by our stalled bid.
  expect(venue.liveOrders()).toEqual([]);
});

/**
 * The stalled bid traded 0.005 on arrival. Its create answer was lost, so the loop asks
 * GetOrder about it: once found resting with 0.005 left, the 0.005 it traded is a fill.
 */
it("reports the 0.005 the stalled create traded as a fill", () => {
  if (!stalled) throw new Error("the stall scenario above did not get as far as the cancel");
  expect(stalled.fills).toEqual([{ quantity: "0.005", position: "0.005" }]);
});
