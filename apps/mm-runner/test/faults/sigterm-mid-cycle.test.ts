/**
 * Fault 9: SIGTERM lands in the middle of a cycle (a requote on a slow venue, creates in
 * flight). The runner lets what is in flight finish, starts nothing new, cancels every
 * order, and exits 0 with none of ours on the venue.
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
import { pricesDerivableFrom } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { recordVenue, type VenueRecord } from "./harness/venue-record.ts";

const ID = "mm-f9";
const BOOK = "BTC-USDT";

let venue: Venue;
let record: VenueRecord;
let exchanges: FaultyExchanges;

beforeAll(async () => {
  venue = await startVenue();
  record = recordVenue(venue);
  exchanges = await startFaultyExchanges({ [BOOK]: "50000" });
});
afterAll(async () => {
  record?.stop();
  await venue?.close();
  await exchanges?.close();
});

it("on SIGTERM mid-requote: finishes what is in flight, cancels everything, exits 0", async () => {
  const runner = startFaultRunner({ id: ID, venue: venue.address, prices: exchanges.url });
  await waitFor(() => record.live(ID, BOOK).length === 6, 20_000, "the first ladder");

  venue.setLatency(150);
  let signalledAt = -1;
  const signalled = new Promise<void>((resolve) => {
    const stop = venue.onEvent((event) => {
      if (event.type !== "order-created" || event.userAddress !== ID) return;
      runner.kill("SIGTERM"); // the first new order of the requote has just landed
      signalledAt = record.mark();
      stop();
      resolve();
    });
  });
  exchanges.setPrice(BOOK, "50100");
  await signalled;
  const exit = await runner.closed;
  expect(exit.code).toBe(0);

  // The signal did land mid-cycle: that cycle ended as aborted, its later phases skipped.
  expect(runner.cycles().at(-1)).toMatchObject({ outcome: "aborted" });
  // What was in flight when the signal came still landed, and was cancelled with the rest.
  const landedAfter = record.events
    .slice(signalledAt)
    .flatMap((e) => (e.type === "order-created" && e.userAddress === ID ? [e.orderId] : []));
  expect(landedAfter.length).toBeGreaterThan(0);
  const cancelled = new Set(record.canceled(ID).map((event) => event.orderId));
  expect(landedAfter.filter((orderId) => !cancelled.has(orderId))).toEqual([]);
  const summary = runner.lines(/^stopped: \d+ orders cancelled/)[0];
  expect(summary).toMatchObject({ failed: 0 });
  expect(Number(summary?.cancelled)).toBeGreaterThanOrEqual(7);

  expectNoneOfOursLive(ID, venue.liveOrders());
  expectNoSelfTrade(ID, venue.trades());
  expectPricedOnlyFrom(record.created(ID), pricesDerivableFrom(["50000", "50100"]));
});
