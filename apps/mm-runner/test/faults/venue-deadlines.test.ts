/**
 * Fault 2: the venue becomes slower than the runner's gRPC deadline
 * (MATCHINGO_DEADLINE_SECONDS) in the middle of a cycle. CreateOrders time out on the client
 * while the venue still carries them out: their outcome is unknown, and they must be
 * settled (cancelled) once the venue answers in time again.
 */

import { type FaultyExchanges, startFaultyExchanges, waitFor } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { ladderOf, ladderPrices, samePrice } from "./harness/ladder.ts";
import { type FaultRunner, startFaultRunner } from "./harness/runner.ts";
import { recordVenue, type VenueRecord } from "./harness/venue-record.ts";

const BOOK = "BTC-USDT";
const DEADLINE_MS = 250;
const SLOW_MS = 700;
const LADDER = [...ladderOf("50000").bids, ...ladderOf("50000").asks].sort();

let exchanges: FaultyExchanges;
beforeAll(async () => {
  exchanges = await startFaultyExchanges({ [BOOK]: "50000" });
});
afterAll(async () => {
  await exchanges?.close();
});

interface Slowdown {
  readonly venue: Venue;
  readonly record: VenueRecord;
  readonly runner: FaultRunner;
  /** Order ids whose CreateOrder timed out on the runner's side. */
  readonly uncertain: () => string[];
}

/**
 * A runner quoting in `replace-all` mode (one CreateOrder at a time, so exactly the creates
 * after the first of a cycle meet the slow venue), then the venue turns slow as the first
 * order of the next cycle lands.
 */
async function slowDownMidCycle(id: string): Promise<Slowdown> {
  const venue = await startVenue();
  const record = recordVenue(venue);
  const runner = startFaultRunner({
    id,
    venue: venue.address,
    prices: exchanges.url,
    env: {
      REQUOTE_MODE: "replace-all",
      UPDATE_INTERVAL_SECONDS: "0.4",
      MATCHINGO_DEADLINE_SECONDS: String(DEADLINE_MS / 1000),
    },
  });
  await waitFor(() => record.live(id, BOOK).length === 6, 20_000, "the first ladder");
  // Synchronously, as the first order of the next cycle is created: the rest of that
  // cycle's creates meet the slow venue.
  await new Promise<void>((resolve) => {
    const stop = venue.onEvent((event) => {
      if (event.type !== "order-created" || event.userAddress !== id) return;
      venue.setLatency(SLOW_MS);
      stop();
      resolve();
    });
  });
  const uncertain = () =>
    runner
      .lines(/^place failed$/)
      .filter((line) => line.uncertain === true)
      .map((line) => String(line.orderId));
  return { venue, record, runner, uncertain };
}

describe("a venue slower than the deadline", () => {
  it("settles every timed-out create once the venue is fast again: exactly the ladder, no orphan", async () => {
    const id = "mm-f2a";
    const { venue, record, runner, uncertain } = await slowDownMidCycle(id);
    try {
      await waitFor(() => uncertain().length >= 2, 20_000, "timed-out creates");
      await runner.waitForLog((line) => /^venue lost$/.test(line.msg));
      // The venue carried out the creates the runner gave up on.
      await waitFor(
        () => uncertain().every((orderId) => record.created(id).some((e) => e.orderId === orderId)),
        20_000,
        "the timed-out creates to land on the venue",
      );
      venue.setLatency(0);
      await runner.waitForLog((line) => /^venue back$/.test(line.msg));
      await waitFor(
        () => {
          const live = record.live(id, BOOK);
          return (
            live.length === 6 && !live.some((order) => uncertain().includes(order.orderId)) && live
          );
        },
        20_000,
        "exactly the ladder, without the timed-out orders",
      );
      const live = record.live(id, BOOK);
      expect(live.map((order) => samePrice(order.price)).sort()).toEqual(LADDER);
      // Each timed-out create was cancelled by the runner, not left for the shutdown.
      const canceled = new Set(record.canceled(id).map((event) => event.orderId));
      expect(uncertain().filter((orderId) => !canceled.has(orderId))).toEqual([]);
      // Logged once per change of state (a loaded machine may add a blip of its own).
      const lost = runner.lines(/^venue lost$/).length;
      expect(lost).toBeGreaterThanOrEqual(1);
      expect(runner.lines(/^venue back$/)).toHaveLength(lost);

      expect((await runner.stop("SIGTERM")).code).toBe(0);
      expectNoneOfOursLive(id, venue.liveOrders());
      expectNoSelfTrade(id, venue.trades());
      expectPricedOnlyFrom(record.created(id), ladderPrices("50000"));
    } finally {
      record.stop();
      await venue.close();
    }
  });

  it("leaves no orphan when the venue turns fast again before the timed-out creates have landed", async () => {
    const id = "mm-f2b";
    const { venue, record, runner, uncertain } = await slowDownMidCycle(id);
    try {
      await waitFor(() => uncertain().length >= 1, 20_000, "a timed-out create");
      // Fast again while the venue still holds timed-out creates in its queue.
      venue.setLatency(0);
      const pending = uncertain();
      await waitFor(
        () => pending.every((orderId) => record.created(id).some((e) => e.orderId === orderId)),
        20_000,
        "the late creates to land",
      );
      // Several cycles later, none of the late arrivals rests on the book untracked.
      const cyclesNow = runner.cycles().length;
      await waitFor(() => runner.cycles().length >= cyclesNow + 4, 20_000, "four more cycles");
      const late = () => record.live(id, BOOK).filter((o) => uncertain().includes(o.orderId));
      await waitFor(
        () => late().length === 0 && record.live(id, BOOK).length === 6,
        20_000,
        "exactly the ladder (an orphan would make it seven)",
      ).catch((error: Error) => {
        throw new Error(`${error.message}; late creates still live: ${JSON.stringify(late())}`);
      });
      const live = record.live(id, BOOK);
      expect(live.map((order) => samePrice(order.price)).sort()).toEqual(LADDER);

      expect((await runner.stop("SIGTERM")).code).toBe(0);
      expectNoneOfOursLive(id, venue.liveOrders());
      expectNoSelfTrade(id, venue.trades());
      expectPricedOnlyFrom(record.created(id), ladderPrices("50000"));
    } finally {
      record.stop();
      await venue.close();
    }
  });
});
