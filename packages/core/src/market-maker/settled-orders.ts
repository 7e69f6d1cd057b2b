import { type Decimal, parseDecimal, ZERO } from "../decimal.ts";
import type { RestoredOrderFills } from "./shared-types.ts";
import type { Bookable, TrackedOrder } from "./tracked-orders.ts";

/** An order known gone (or from an earlier run) that the stream may still report fills of. */
export interface SettledOrder extends Bookable {
  /** Its size; undefined for one restored from the ledger (the id is all we kept). */
  readonly quantity?: Decimal;
  streamed: Decimal;
  venueFilled?: { quantity: Decimal; since: number };
}

/**
 * Orders no longer tracked whose fills the stream may still bring: cancelled after a
 * trade the stream had not delivered yet, found gone by a poll before the stream's
 * message, or booked by polls while the stream was down and then replayed. Bounded:
 * the oldest are dropped first (a stream lags by milliseconds, not by thousands of orders).
 */
export interface SettledOrders {
  add(order: TrackedOrder): void;
  restore(orders: readonly RestoredOrderFills[]): void;
  get(orderId: string): SettledOrder | undefined;
  all(): SettledOrder[];
}

export function createSettledOrders(limit = 10_000): SettledOrders {
  const settled = new Map<string, SettledOrder>();
  const put = (order: SettledOrder) => {
    settled.delete(order.orderId);
    settled.set(order.orderId, order);
    if (settled.size > limit) settled.delete(settled.keys().next().value as string);
  };
  return {
    add(order) {
      put({
        orderId: order.orderId,
        side: order.side,
        price: order.price,
        priceText: order.priceText,
        quantity: parseDecimal(order.quantity),
        booked: order.booked ?? ZERO,
        streamed: order.streamed ?? ZERO,
        ...(order.venueFilled ? { venueFilled: order.venueFilled } : {}),
      });
    },
    restore(orders) {
      for (const o of orders) {
        put({
          orderId: o.orderId,
          side: o.side,
          price: ZERO,
          priceText: "0",
          booked: parseDecimal(o.booked),
          streamed: parseDecimal(o.streamed),
        });
      }
    },
    get: (id) => settled.get(id),
    all: () => [...settled.values()],
  };
}
