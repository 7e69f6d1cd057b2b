import { compare, parseDecimal } from "@matchingo-mm/core";
import type { Venue, VenueEvent, VenueOrder } from "@matchingo-mm/venue";
import { samePrice } from "./ladder.ts";

export type CreatedEvent = Extract<VenueEvent, { type: "order-created" }>;
export type CanceledEvent = Extract<VenueEvent, { type: "order-canceled" }>;

/** Is this user address one of ours (`mm-x`, or `mm-x-BTC-USDT` with several symbols)? */
export const ownedBy =
  (marketMakerId: string) =>
  (userAddress: string): boolean =>
    userAddress === marketMakerId || userAddress.startsWith(`${marketMakerId}-`);

export interface VenueRecord {
  /** Every event of the venue since recording began, in order. */
  readonly events: VenueEvent[];
  /** Every order the venue ever saw created by this market maker. */
  created(marketMakerId: string, book?: string): CreatedEvent[];
  canceled(marketMakerId: string, book?: string): CanceledEvent[];
  /** Live orders of this market maker now. */
  live(marketMakerId: string, book?: string): VenueOrder[];
  /** Our best live bid in `book`, in the ladder's notation (see `samePrice`), if any. */
  bestBid(marketMakerId: string, book: string): string | undefined;
  /** Index of the next event: mark a moment to look at what happened after it. */
  mark(): number;
  stop(): void;
}

/** Records an in-process venue's events from now on (`venue.onEvent`). */
export function recordVenue(venue: Venue): VenueRecord {
  const events: VenueEvent[] = [];
  const stop = venue.onEvent((event) => events.push(event));
  const live = (id: string, book?: string) =>
    venue.liveOrders(book).filter((order) => ownedBy(id)(order.userAddress));
  return {
    events,
    created: (id, book) =>
      events.filter(
        (e): e is CreatedEvent =>
          e.type === "order-created" && ownedBy(id)(e.userAddress) && (!book || e.book === book),
      ),
    canceled: (id, book) =>
      events.filter(
        (e): e is CanceledEvent =>
          e.type === "order-canceled" && ownedBy(id)(e.userAddress) && (!book || e.book === book),
      ),
    live,
    bestBid: (id, book) =>
      live(id, book)
        .filter((order) => order.side === "buy")
        .map((order) => order.price)
        .sort((a, b) => compare(parseDecimal(b), parseDecimal(a)))
        .map(samePrice)[0],
    mark: () => events.length,
    stop,
  };
}
