import { type Decimal, gt, lt } from "../decimal.ts";
import type { Barrier, WatchedOrder } from "../fill-watch.ts";
import type { CancelReason, LiveOrder } from "../planner.ts";
import type { SideCounts } from "./events.ts";
import { formatAmount } from "./format-amount.ts";
import type { OrderState, OrderView } from "./shared-types.ts";

/** An order id we may own, with what we know of it. */
export interface TrackedOrder extends WatchedOrder {
  readonly orderId: string;
  level: number;
  readonly priceText: string;
  readonly quantity: string;
  remaining: Decimal;
  state: OrderState;
  /** The venue lost its book's state since we placed it: a `gone` is not a fill. */
  afterBookReset: boolean;
  /** Uncertain create: an "already gone" before this time (clock ms) does not settle it. */
  settleAfter?: number;
  /**
   * A cancel of ours for this reason got no answer (deadline, reset): it may have taken
   * effect, so a later "gone" is most likely that cancel, not a fill.
   */
  cancelUnanswered?: CancelReason;
  /** The sum of the fills booked on it. */
  booked?: Decimal;
  /** With a trade stream: the sum of the fills it reported for this order. */
  streamed?: Decimal;
  /**
   * With a trade stream: what the venue itself showed filled (its answer to the create,
   * a poll, a cancel that found it gone) and the time it did; booked from the stream,
   * or by the reconciliation if the stream never reports it.
   */
  venueFilled?: { quantity: Decimal; since: number };
}

/** What a fill is booked on: a tracked order, or one settled that the stream still reports. */
export type Bookable = Pick<TrackedOrder, "orderId" | "side" | "price" | "priceText" | "booked">;

/**
 * Every order id we may own until it is known gone, and the sequence that orders what we
 * learn about them (fill-watch reasons with it, not with clock time).
 */
export interface TrackedOrders {
  get(orderId: string): TrackedOrder | undefined;
  has(orderId: string): boolean;
  add(order: TrackedOrder): void;
  /** False when the id was not tracked (already forgotten). */
  remove(orderId: string): boolean;
  all(): TrackedOrder[];
  ids(): string[];
  readonly size: number;
  /** The next step of the sequence of sends and answers. */
  nextSequence(): number;
  /** Orders cancelled while live: they still vouch for deeper levels until polled past. */
  retired: Barrier[];
  /** As the planner sees them: uncertain and placing ones may rest. */
  planInput(): LiveOrder[];
  counts(): { live: SideCounts; uncertain: number };
  bestPrices(): { bestBid?: string; bestAsk?: string };
  views(): OrderView[];
}

export function createTrackedOrders(): TrackedOrders {
  const orders = new Map<string, TrackedOrder>();
  let sequence = 0;
  const tracked: TrackedOrders = {
    get: (id) => orders.get(id),
    has: (id) => orders.has(id),
    add: (order) => void orders.set(order.orderId, order),
    remove: (id) => orders.delete(id),
    all: () => [...orders.values()],
    ids: () => [...orders.keys()],
    get size() {
      return orders.size;
    },
    nextSequence: () => ++sequence,
    retired: [],
    planInput: () =>
      [...orders.values()].map((o) => ({
        orderId: o.orderId,
        side: o.side,
        level: o.level,
        price: o.priceText,
        quantity: formatAmount(o.remaining),
        uncertain: o.state !== "live",
      })),
    counts() {
      let buy = 0;
      let sell = 0;
      let uncertain = 0;
      for (const o of orders.values()) {
        if (o.state !== "live") uncertain++;
        else if (o.side === "buy") buy++;
        else sell++;
      }
      return { live: { buy, sell }, uncertain };
    },
    bestPrices() {
      let bid: TrackedOrder | undefined;
      let ask: TrackedOrder | undefined;
      for (const o of orders.values()) {
        if (o.state !== "live") continue;
        if (o.side === "buy" && (!bid || gt(o.price, bid.price))) bid = o;
        if (o.side === "sell" && (!ask || lt(o.price, ask.price))) ask = o;
      }
      return {
        ...(bid ? { bestBid: bid.priceText } : {}),
        ...(ask ? { bestAsk: ask.priceText } : {}),
      };
    },
    views: () =>
      [...orders.values()].map((o) => ({
        orderId: o.orderId,
        side: o.side,
        level: o.level,
        price: o.priceText,
        quantity: o.quantity,
        remaining: formatAmount(o.remaining),
        state: o.state,
      })),
  };
  return tracked;
}
