import { killAllRunners, type PriceServer, startPriceServer } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll } from "vitest";
import { samePrice } from "../faults/harness/ladder.ts";

export interface ControlFixture {
  readonly venue: Venue;
  readonly prices: PriceServer;
  /** Our book as the venue holds it: bid prices best first, ask prices best first. */
  book(symbol: string): { bids: string[]; asks: string[] };
}

/**
 * A test file's venue and exchange-like price servers answering `prices`, started before
 * its tests; after them every runner it started is killed and both are closed. Read the
 * fields inside tests, not at the top of the module.
 */
export function useControlFixture(prices: Record<string, string>): ControlFixture {
  let started: { venue: Venue; prices: PriceServer } | undefined;
  beforeAll(async () => {
    started = { venue: await startVenue(), prices: await startPriceServer(prices) };
  });
  afterAll(async () => {
    killAllRunners();
    await started?.prices.close();
    await started?.venue.close();
  });
  const get = () => {
    if (!started) throw new Error("the control fixture is read before its beforeAll ran");
    return started;
  };
  return {
    get venue() {
      return get().venue;
    },
    get prices() {
      return get().prices;
    },
    book(symbol) {
      const orders = get().venue.liveOrders(symbol);
      const side = (which: "buy" | "sell") =>
        orders
          .filter((order) => order.side === which)
          .map((order) => samePrice(order.price))
          .sort((a, b) => (which === "buy" ? Number(b) - Number(a) : Number(a) - Number(b)));
      return { bids: side("buy"), asks: side("sell") };
    },
  };
}

/** Deep equality for polling conditions (`waitFor` wants a boolean). */
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
