import { type FaultyExchanges, startFaultyExchanges } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll } from "vitest";
import { recordVenue, type VenueRecord } from "./venue-record.ts";

export interface FaultFixture {
  readonly venue: Venue;
  readonly record: VenueRecord;
  readonly exchanges: FaultyExchanges;
}

/**
 * A test file's in-process venue (recorded from the start) and exchange-like price
 * servers answering `prices`: started before the file's tests, closed after them. Its
 * fields are there once the file's `beforeAll` hooks run, so read them inside tests and
 * hooks, not at the top of the module.
 */
export function useFaultFixture(prices: Record<string, string>): FaultFixture {
  let started: FaultFixture | undefined;
  beforeAll(async () => {
    const venue = await startVenue();
    started = { venue, record: recordVenue(venue), exchanges: await startFaultyExchanges(prices) };
  });
  afterAll(async () => {
    started?.record.stop();
    await started?.venue.close();
    await started?.exchanges.close();
  });
  const get = (): FaultFixture => {
    if (!started) throw new Error("the fault fixture is read before its beforeAll ran");
    return started;
  };
  return {
    get venue() {
      return get().venue;
    },
    get record() {
      return get().record;
    },
    get exchanges() {
      return get().exchanges;
    },
  };
}
