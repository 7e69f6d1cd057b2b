/**
 * Fault 1: the venue is killed (SIGKILL, its own process) and comes back EMPTY on the same
 * port: it lost every book and order.
 */

import { type FaultyExchanges, startFaultyExchanges, waitFor } from "@matchingo-mm/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { journalPath, readJournalFile, runnerStateDir } from "../../src/index.ts";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { ladderOf, ladderPrices, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { startVenueProcess, type VenueProcess } from "./harness/venue-process.ts";
import { ownedBy } from "./harness/venue-record.ts";

const ID = "mm-f1";
const BOOK = "BTC-USDT";
let venue: VenueProcess;
let exchanges: FaultyExchanges;

beforeAll(async () => {
  [venue, exchanges] = await Promise.all([
    startVenueProcess(),
    startFaultyExchanges({ [BOOK]: "50000" }),
  ]);
});
afterAll(async () => {
  await venue?.close();
  await exchanges?.close();
});

const LADDER = ladderOf("50000");
const fullLadder = () => {
  const ours = venue.liveOrders(BOOK).filter((order) => ownedBy(ID)(order.userAddress));
  const prices = new Set(ours.map((order) => samePrice(order.price)));
  return ours.length === 6 && [...LADDER.bids, ...LADDER.asks].every((p) => prices.has(p));
};

it("notices a venue restarted empty, restores the full ladder on its first cycle back, logs lost/back once, and tracks nothing extra meanwhile", async () => {
  const runner = startFaultRunner({ id: ID, venue: venue.address, prices: exchanges.url });
  const journal = journalPath(runnerStateDir(runner.stateDir, ID), BOOK);
  await waitFor(fullLadder, 20_000, "the first ladder");

  await venue.kill("SIGKILL");
  const downAt = runner.logs.length;
  await runner.waitForLog((line) => /venue lost/.test(line.msg));
  // Stay down for several failed cycles, watching what the runner believes it may own.
  let mostTracked = 0;
  await waitFor(
    () => {
      mostTracked = Math.max(mostTracked, readJournalFile(journal).open.size);
      const failed = runner.logs
        .slice(downAt)
        .filter((line) => line.outcome === "venue-error").length;
      return failed >= 3;
    },
    20_000,
    "three failed cycles",
  );
  const outage = runner.logs.slice(downAt);
  await venue.restart();
  const backAt = runner.logs.length;

  await waitFor(fullLadder, 20_000, "the ladder restored on the empty venue");
  await runner.waitForLog((line) => /venue back/.test(line.msg));

  // Nothing accumulated while the venue was away: no more ids than the ladder it had.
  expect(mostTracked).toBeLessThanOrEqual(6);
  // The first cycle that reached the venue restored all six levels at once.
  const firstBack = await runner.waitForLog(
    (line) =>
      typeof line.cycle === "number" &&
      line.outcome !== "venue-error" &&
      runner.logs.indexOf(line) >= backAt,
  );
  expect(firstBack).toMatchObject({ outcome: "quoted", placed: 6 });
  // The restarted venue holds exactly the ladder, and the journal lists exactly those ids.
  const live = venue.liveOrders(BOOK).filter((order) => ownedBy(ID)(order.userAddress));
  expect(live.map((order) => samePrice(order.price)).sort()).toEqual(
    [...LADDER.bids, ...LADDER.asks].sort(),
  );
  expect([...readJournalFile(journal).open.values()].map((entry) => entry.id).sort()).toEqual(
    live.map((order) => order.orderId).sort(),
  );
  // One line per change of state, not one per failed tick.
  expect(runner.lines(/^venue lost$/)).toHaveLength(1);
  expect(runner.lines(/^venue back$/)).toHaveLength(1);
  const noisy = outage.filter((line) => line.level >= 40 && !/^venue lost$/.test(line.msg));
  expect(noisy.map((line) => line.msg)).toEqual([]);
  expect(runner.lines(/restoring the ladder/)).toHaveLength(1);

  const exit = await runner.stop("SIGTERM");
  expect(exit.code).toBe(0);
  expectNoneOfOursLive(ID, venue.liveOrders());
  // The venue's own book (over gRPC) agrees: no level left.
  const state = await venue.client().getOrderBookState(BOOK);
  expect([...state.bids, ...state.asks]).toEqual([]);
  expectNoSelfTrade(
    ID,
    venue.events.filter((event) => event.msg === "trade"),
  );
  const created = venue.events.flatMap((event) =>
    event.msg === "order-created" && ownedBy(ID)(event.userAddress ?? "")
      ? [{ orderId: String(event.orderId), price: String(event.price) }]
      : [],
  );
  expect(created.length).toBeGreaterThanOrEqual(12);
  expectPricedOnlyFrom(created, ladderPrices("50000"));
});
