/**
 * One real Matchingo with its Kafka per test file (the Go server as its docker-compose deploys
 * it), an observer client, and exchange-like price servers on 127.0.0.1. Where the real venue
 * cannot run: inside CI that is a failing test naming what is missing; outside CI one loud
 * line and a test saying how many checks did not run.
 */
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import { type PriceServer, startPriceServer } from "@matchingo-mm/testkit";
import {
  type RealVenue,
  realVenueRequired,
  realVenueUnavailable,
  startRealVenue,
} from "@matchingo-mm/venue/real";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VenueView } from "./venue-view.ts";

export interface RealVenueFixture {
  readonly venue: RealVenue;
  readonly client: MatchingoClient;
  readonly prices: PriceServer;
  readonly view: VenueView;
}

/**
 * `describe(title, body)` when the real venue can run here; otherwise a stand-in: failing in
 * CI, a loud "N checks not run" outside it.
 */
export function describeRealVenue(title: string, checks: number, body: () => void): void {
  const unavailable = realVenueUnavailable();
  if (unavailable === undefined) {
    describe(title, body);
  } else if (realVenueRequired()) {
    describe(title, () => {
      it("needs the real venue, which CI must provide", () => {
        throw new Error(`CI: the real Matchingo cannot run here: ${unavailable}`);
      });
    });
  } else {
    const banner = `REAL MATCHINGO NOT AVAILABLE (${unavailable}): ${checks} runner checks not run`;
    describe(banner, () => {
      it("is reported, not skipped", () => {
        console.warn(`\n*** ${banner} ***\n`);
        expect(unavailable).not.toBe("");
      });
    });
  }
}

/**
 * Starts the venue (Kafka first: the first start may build the Go server and resolve Kafka's
 * jars, minutes on a cold cache) and the price servers before the file's tests; closes them
 * after. Read its fields inside tests and hooks.
 */
export function useRealVenue(initialPrices: Record<string, string>): RealVenueFixture {
  let started: RealVenueFixture | undefined;
  beforeAll(async () => {
    let client: MatchingoClient | undefined;
    const view = new VenueView(() => client!);
    const venue = await startRealVenue({ onOutputLine: (line) => view.record(line) });
    client = createMatchingoClient({ address: venue.address, userAddress: "observer" });
    const prices = await startPriceServer(initialPrices);
    started = { venue, client, prices, view };
  }, 600_000);
  afterAll(async () => {
    started?.client.close();
    await started?.prices.close();
    await started?.venue.close();
  }, 60_000);
  const get = (): RealVenueFixture => {
    if (!started) throw new Error("the real venue fixture is read before its beforeAll ran");
    return started;
  };
  return {
    get venue() {
      return get().venue;
    },
    get client() {
      return get().client;
    },
    get prices() {
      return get().prices;
    },
    get view() {
      return get().view;
    },
  };
}
