import { ConfigError, describeValue } from "./config-error.ts";
import {
  abs,
  compare,
  type Decimal,
  eq,
  gt,
  gte,
  lt,
  lte,
  mul,
  parseDecimal,
  sign,
  sub,
} from "./decimal.ts";
import { type DecimalInput, readDecimal } from "./decimal-input.ts";
import type { Ladder, Level } from "./ladder.ts";
import type { OrderIntent, Side } from "./ports.ts";

/**
 * Pure requote planning: from the ladder we want and the orders we believe rest on the
 * book, the exact cancels and creates, ordered so that the executor can run each phase's
 * steps concurrently (phases in order) without ever letting one of our bids reach one of
 * our asks.
 */

/** An order of ours that may rest on the book. */
export interface LiveOrder {
  readonly orderId: string;
  readonly side: Side;
  /** The ladder level it was placed for (or last kept as). */
  readonly level: number;
  readonly price: string;
  /** The quantity resting now (after partial fills). */
  readonly quantity: string;
  /**
   * A create whose outcome is unknown: it may rest at `price`. It is never kept, always
   * cancelled, and counted as resting when checking for self-crossing.
   */
  readonly uncertain?: boolean;
}

export interface PlanInput {
  readonly book: string;
  readonly target: Pick<Ladder, "reference" | "bids" | "asks">;
  readonly live: readonly LiveOrder[];
  /** The id for a new order at this side and level (one call per order placed). */
  readonly orderId: (side: Side, level: number) => string;
  /** `diff` keeps an order within this percentage of its target price; default 0. */
  readonly refreshTolerancePercent?: DecimalInput;
}

export type CancelReason =
  /** The seed's cycle cancels everything. */
  | "replace-all"
  /** A new order would cross it, so it goes before that order is placed. */
  | "crossed"
  /** Off target (price, size) and replaced, or no longer wanted. */
  | "stale"
  /** A create whose outcome is unknown; cancelling settles it either way. */
  | "uncertain"
  /** Quotes pulled (no fresh price). */
  | "pull"
  /** An operator paused quoting (`MarketMaker.pause`). */
  | "pause"
  /** Fills took the position so far that this order, filled, would pass the limit. */
  | "limit"
  /** The loss kill switch tripped. */
  | "halt"
  | "shutdown";

export interface PlaceStep {
  readonly kind: "place";
  readonly order: OrderIntent;
  readonly level: number;
  /** Ids that must be known gone before this is sent (it would cross them). */
  readonly after: readonly string[];
}

export interface CancelStep {
  readonly kind: "cancel";
  readonly orderId: string;
  readonly side: Side;
  readonly price: string;
  readonly reason: CancelReason;
}

export type PlanStep = PlaceStep | CancelStep;

/** A live order left in place, now serving `level`. */
export interface KeptOrder {
  readonly orderId: string;
  readonly level: number;
}

export interface Plan {
  readonly mode: string;
  /** Run in order; the steps of one phase are independent and may run concurrently. */
  readonly phases: readonly (readonly PlanStep[])[];
  readonly keep: readonly KeptOrder[];
}

/** A requote mode. Add one by implementing this; the loop takes any `Requoter`. */
export interface Requoter {
  readonly name: string;
  plan(input: PlanInput): Plan;
}

export type RequoteModeName = "replace-all" | "diff";

interface Priced<T> {
  readonly item: T;
  readonly price: Decimal;
}

const priced = <T extends { readonly price: string }>(item: T): Priced<T> => ({
  item,
  price: parseDecimal(item.price),
});

/** True when a new order at `side`/`price` would trade with our resting `other`. */
function wouldCross(side: Side, price: Decimal, other: Priced<LiveOrder>): boolean {
  if (side === other.item.side) return false;
  return side === "buy" ? gte(price, other.price) : lte(price, other.price);
}

/** Interleaves the ladder as the seed places it: buy 1, sell 1, buy 2, sell 2, ... */
function seedOrder(target: PlanInput["target"]): Level[] {
  const levels: Level[] = [];
  const depth = Math.max(target.bids.length, target.asks.length);
  for (let i = 0; i < depth; i++) {
    const bid = target.bids[i];
    const ask = target.asks[i];
    if (bid) levels.push(bid);
    if (ask) levels.push(ask);
  }
  return levels;
}

function placeStep(
  input: PlanInput,
  level: Level,
  resting: readonly Priced<LiveOrder>[],
): PlaceStep {
  const price = parseDecimal(level.price);
  return {
    kind: "place",
    level: level.level,
    order: {
      book: input.book,
      orderId: input.orderId(level.side, level.level),
      side: level.side,
      price: level.price,
      quantity: level.quantity,
    },
    after: resting.filter((o) => wouldCross(level.side, price, o)).map((o) => o.item.orderId),
  };
}

const cancelStep = (order: LiveOrder, reason: CancelReason): CancelStep => ({
  kind: "cancel",
  orderId: order.orderId,
  side: order.side,
  price: order.price,
  reason: order.uncertain ? "uncertain" : reason,
});

/**
 * The seed's cycle, kept exactly as the baseline: cancel every order, then place the
 * whole ladder (buy 1, sell 1, buy 2, ...), one RPC at a time. A create still waits on
 * any cancel it would cross, so a failed cancel can never lead to a self-trade.
 */
export const replaceAll: Requoter = {
  name: "replace-all",
  plan(input) {
    const resting = input.live.map(priced);
    const cancels = input.live.map((o) => cancelStep(o, "replace-all"));
    const places = seedOrder(input.target).map((level) => placeStep(input, level, resting));
    return { mode: "replace-all", phases: [...cancels, ...places].map((s) => [s]), keep: [] };
  },
};

/**
 * Keeps what is already right and replaces only the rest, make-before-break:
 *
 * 1. Match live orders to target levels by price (within the tolerance, same size, on
 *    their own side of P). Prices are matched in order, so after a move of whole steps
 *    an old level-2 order can serve as the new level 1.
 * 2. Phase 1: place every new order that crosses none of our resting orders (kept, to
 *    be cancelled, or uncertain), and cancel uncertain creates.
 * 3. Phase 2: cancel the orders a new order would cross (a move beyond the spread).
 * 4. Phase 3: place the new orders that waited on those cancels.
 * 5. Phase 4: cancel the replaced orders.
 *
 * New bids can only cross old asks when the price rose and new asks only old bids when
 * it fell, never both in one plan, so the side losing crossed orders has already got its
 * new orders in phase 1: no side drops below its live levels during a requote.
 */
export const diff: Requoter = {
  name: "diff",
  plan(input) {
    const tolerance = readTolerance(input.refreshTolerancePercent);
    const reference = parseDecimal(input.target.reference);
    const resting = input.live.map(priced);

    const kept = new Map<string, Level>();
    for (const side of ["buy", "sell"] as const) {
      const targets = (side === "buy" ? input.target.bids : input.target.asks).map(priced);
      const candidates = resting.filter(
        (o) =>
          o.item.side === side &&
          !o.item.uncertain &&
          (side === "buy" ? lt(o.price, reference) : gt(o.price, reference)),
      );
      for (const [orderId, level] of matchByPrice(targets, candidates, tolerance)) {
        kept.set(orderId, level);
      }
    }

    const covered = new Set(kept.values());
    const wanted = seedOrder(input.target).filter((level) => !covered.has(level));
    const places = wanted.map((level) => placeStep(input, level, resting));
    const crossedIds = new Set(places.flatMap((p) => p.after));

    const free: PlanStep[] = places.filter((p) => p.after.length === 0);
    const crossedCancels: PlanStep[] = [];
    const staleCancels: PlanStep[] = [];
    for (const order of input.live) {
      if (kept.has(order.orderId)) continue;
      if (crossedIds.has(order.orderId)) crossedCancels.push(cancelStep(order, "crossed"));
      else if (order.uncertain) free.push(cancelStep(order, "uncertain"));
      else staleCancels.push(cancelStep(order, "stale"));
    }
    const waiting = places.filter((p) => p.after.length > 0);

    return {
      mode: "diff",
      phases: [free, crossedCancels, waiting, staleCancels].filter((phase) => phase.length > 0),
      keep: [...kept].map(([orderId, target]) => ({ orderId, level: target.level })),
    };
  },
};

function readTolerance(input: DecimalInput | undefined): Decimal {
  if (input === undefined) return { units: 0n, scale: 0 };
  const tolerance = readDecimal("refreshTolerancePercent", input);
  if (sign(tolerance) < 0) {
    throw new ConfigError(
      `refreshTolerancePercent must be >= 0, got ${describeValue(input)}`,
      "refreshTolerancePercent",
      input,
    );
  }
  return tolerance;
}

const HUNDRED: Decimal = { units: 100n, scale: 0 };

function within(order: Priced<LiveOrder>, target: Priced<Level>, tolerance: Decimal): boolean {
  const distance = abs(sub(order.price, target.price));
  return lte(mul(distance, HUNDRED), mul(abs(target.price), tolerance));
}

/**
 * Maximum matching of live orders to target prices, each order kept for at most one
 * target. Each target accepts prices in [t(1-tol), t(1+tol)]; those intervals rise with
 * t, so a greedy sweep over both lists in ascending price is optimal.
 */
function matchByPrice(
  targets: readonly Priced<Level>[],
  candidates: readonly Priced<LiveOrder>[],
  tolerance: Decimal,
): Map<string, Level> {
  const ascending = <T>(a: Priced<T>, b: Priced<T>) => compare(a.price, b.price);
  const ts = [...targets].sort(ascending);
  const cs = [...candidates].sort(ascending);
  const matched = new Map<string, Level>();
  let i = 0;
  let j = 0;
  while (i < ts.length && j < cs.length) {
    const target = ts[i]!;
    const candidate = cs[j]!;
    if (within(candidate, target, tolerance)) {
      if (eq(parseDecimal(candidate.item.quantity), parseDecimal(target.item.quantity))) {
        matched.set(candidate.item.orderId, target.item);
        i++;
      }
      j++;
    } else if (lt(candidate.price, target.price)) {
      j++;
    } else {
      i++;
    }
  }
  return matched;
}

/** Cancels every order at once: pulling quotes, shutting down. */
export function planCancelAll(live: readonly LiveOrder[], reason: CancelReason): Plan {
  const cancels = live.map((o) => cancelStep(o, reason));
  return { mode: reason, phases: cancels.length > 0 ? [cancels] : [], keep: [] };
}

export const requoters: Readonly<Record<RequoteModeName, Requoter>> = {
  "replace-all": replaceAll,
  diff,
};

/** Resolves a mode by name (as configured) or takes a custom `Requoter`. */
export function resolveRequoter(mode: RequoteModeName | Requoter | undefined): Requoter {
  if (mode === undefined) return diff;
  if (typeof mode === "object" && mode !== null && typeof mode.plan === "function") return mode;
  const named = typeof mode === "string" ? requoters[mode as RequoteModeName] : undefined;
  if (!named || !Object.hasOwn(requoters, mode as string)) {
    throw new ConfigError(
      `requoteMode must be one of ${Object.keys(requoters).join(", ")}, got ${describeValue(mode)}`,
      "requoteMode",
      mode,
    );
  }
  return named;
}

/** One requote plan in the given mode (default `diff`). */
export function planCycle(input: PlanInput & { readonly mode?: RequoteModeName | Requoter }): Plan {
  return resolveRequoter(input.mode).plan(input);
}
