import { compare, type Decimal } from "./decimal.ts";
import type { Side } from "./ports.ts";

/**
 * Which resting orders need a GetOrder to learn about fills, and which can be known
 * untouched without one.
 *
 * Matchingo pushes nothing, so fills are learned by polling. Polling all 2N orders every
 * cycle would cost more RPCs than the requote itself, but price priority gives most of
 * that knowledge away: a taker can only trade with our order at price p after it has
 * consumed every order at a strictly better price, ours included. So while some order of
 * ours at a better price stays live (not fully consumed), nothing can have traded with
 * the worse one. Times here are logical (a counter that orders our own RPCs), not clocks.
 */

/** A period in which one of our orders at `price` certainly rested, not fully consumed. */
export interface Barrier {
  readonly side: Side;
  readonly price: Decimal;
  /** When it was certainly resting: the acknowledgement of its create. */
  readonly from: number;
  /** When it was last seen live: the send time of a GetOrder or a successful cancel. */
  readonly to: number;
}

export interface WatchedOrder {
  readonly side: Side;
  readonly price: Decimal;
  /** Known quantity is as of this logical time (conservatively early). */
  knownAt: number;
  /** Logical time of its create's acknowledgement; undefined while in flight. */
  restingBy?: number;
  /** Last logical time it was seen live. */
  liveAt?: number;
}

/**
 * The latest time T >= start such that [start, T] is covered by the union of the
 * intervals, or undefined when no interval contains `start`.
 */
export function coveredUntil(
  intervals: readonly { readonly from: number; readonly to: number }[],
  start: number,
): number | undefined {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  let reach: number | undefined;
  let cursor = start;
  for (const interval of sorted) {
    if (interval.from > cursor) break;
    if (interval.to >= cursor) {
      cursor = interval.to;
      reach = cursor;
    }
  }
  return reach;
}

/** `a` has priority over `b` on `side` (strictly: equal prices trade by time). */
function strictlyBetter(side: Side, a: Decimal, b: Decimal): boolean {
  const order = compare(a, b);
  return side === "buy" ? order > 0 : order < 0;
}

export function barrierOf(order: WatchedOrder): Barrier | undefined {
  if (order.restingBy === undefined || order.liveAt === undefined) return undefined;
  if (order.liveAt < order.restingBy) return undefined;
  return { side: order.side, price: order.price, from: order.restingBy, to: order.liveAt };
}

export interface PollCounts {
  polled: number;
  inferred: number;
}

/**
 * Walks each side best price first. An order covered since its `knownAt` by better
 * orders that stayed live up to this round (`roundStart`) is inferred untouched;
 * any other is polled. `poll` must update the order (knownAt, liveAt) and answer
 * whether it is still live. `retired` are barriers of orders cancelled since.
 */
export async function pollByPriority<T extends WatchedOrder>(
  orders: readonly T[],
  retired: readonly Barrier[],
  roundStart: number,
  poll: (order: T) => Promise<boolean>,
  options: { readonly sidesInParallel?: boolean } = {},
): Promise<PollCounts> {
  const counts: PollCounts = { polled: 0, inferred: 0 };
  const walkSide = async (side: Side) => {
    const sorted = orders
      .filter((o) => o.side === side)
      .sort((a, b) =>
        strictlyBetter(side, a.price, b.price) ? -1 : compare(a.price, b.price) === 0 ? 0 : 1,
      );
    const live: T[] = [];
    for (const order of sorted) {
      const barriers = [...live.map(barrierOf), ...retired].filter(
        (b): b is Barrier =>
          b !== undefined && b.side === side && strictlyBetter(side, b.price, order.price),
      );
      const until = coveredUntil(barriers, order.knownAt);
      if (until !== undefined && until >= roundStart) {
        order.knownAt = until;
        order.liveAt = Math.max(order.liveAt ?? until, until);
        counts.inferred++;
        live.push(order);
        continue;
      }
      counts.polled++;
      if (await poll(order)) live.push(order);
    }
  };
  if (options.sidesInParallel === false) {
    await walkSide("buy");
    await walkSide("sell");
    return counts;
  }
  const results = await Promise.allSettled([walkSide("buy"), walkSide("sell")]);
  for (const result of results) if (result.status === "rejected") throw result.reason;
  return counts;
}
