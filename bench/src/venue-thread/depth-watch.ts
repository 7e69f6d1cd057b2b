import type { VenueEvent, VenueOrder } from "@matchingo-mm/venue";

/**
 * Follows one user's resting orders in one book from the venue's own event stream and
 * adds up the time during which a side holds fewer than `levels` of them (the book gap).
 * Times are `performance.now()` of the venue's thread, taken as each event is emitted.
 */
export interface DepthWatch {
  onEvent(event: VenueEvent, now: number): void;
  /** Gap and lowest depth since the previous report; starts the next period at `now`. */
  report(now: number): DepthReport;
}

export interface DepthReport {
  /** ms during which a side had fewer than `levels` of our orders live. */
  readonly gapMs: number;
  /** The fewest of our orders live on each side at any moment of the period. */
  readonly minBuy: number;
  readonly minSell: number;
  /** Our live orders per side now. */
  readonly buy: number;
  readonly sell: number;
  /** Venue events about our orders in the period. */
  readonly events: number;
}

/** Thousandths, as the venue prints every quantity with 3 fractional digits. */
const milli = (text: string): bigint => {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, "0").slice(0, 3));
};

export function createDepthWatch(options: {
  readonly book: string;
  readonly userAddress: string;
  readonly levels: number;
  /** What rests now (the watch starts from it). */
  readonly resting: readonly VenueOrder[];
  readonly now: number;
}): DepthWatch {
  const { book, userAddress, levels } = options;
  const live = new Map<string, { side: "buy" | "sell"; remaining: bigint }>();
  const count = { buy: 0, sell: 0 };
  for (const order of options.resting) {
    if (order.book !== book || order.userAddress !== userAddress) continue;
    live.set(order.orderId, { side: order.side, remaining: milli(order.remainingQuantity) });
    count[order.side]++;
  }
  const thin = () => count.buy < levels || count.sell < levels;
  let thinSince: number | undefined = thin() ? options.now : undefined;
  let gapMs = 0;
  let minBuy = count.buy;
  let minSell = count.sell;
  let events = 0;

  const changed = (now: number) => {
    minBuy = Math.min(minBuy, count.buy);
    minSell = Math.min(minSell, count.sell);
    if (thin()) thinSince ??= now;
    else if (thinSince !== undefined) {
      gapMs += now - thinSince;
      thinSince = undefined;
    }
  };
  const remove = (orderId: string, now: number) => {
    const order = live.get(orderId);
    if (!order) return;
    live.delete(orderId);
    count[order.side]--;
    changed(now);
  };

  return {
    onEvent(event, now) {
      if (event.type === "book-deleted" && event.book === book) {
        events++;
        for (const id of [...live.keys()]) remove(id, now);
        return;
      }
      if (!("book" in event) || event.book !== book) return;
      switch (event.type) {
        case "order-created":
          if (event.userAddress !== userAddress) return;
          events++;
          if (milli(event.restingQuantity) > 0n) {
            live.set(event.orderId, {
              side: event.side,
              remaining: milli(event.restingQuantity),
            });
            count[event.side]++;
            changed(now);
          }
          return;
        case "order-canceled":
          if (!live.has(event.orderId)) return;
          events++;
          remove(event.orderId, now);
          return;
        case "trade": {
          const maker = live.get(event.makerOrderId);
          if (!maker) return;
          events++;
          maker.remaining -= milli(event.quantity);
          if (maker.remaining <= 0n) remove(event.makerOrderId, now);
          return;
        }
        default:
          return;
      }
    },
    report(now) {
      const total = gapMs + (thinSince === undefined ? 0 : now - thinSince);
      const result: DepthReport = {
        gapMs: total,
        minBuy,
        minSell,
        buy: count.buy,
        sell: count.sell,
        events,
      };
      gapMs = 0;
      if (thinSince !== undefined) thinSince = now;
      minBuy = count.buy;
      minSell = count.sell;
      events = 0;
      return result;
    },
  };
}
