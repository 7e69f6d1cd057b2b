import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  computeLadder,
  type Decimal,
  diff,
  gt,
  holdPlacesWithinLimit,
  type LiveOrder,
  max as maxOf,
  type Plan,
  parseDecimal,
  type Side,
  sub,
  trimToPositionLimit,
  ZERO,
} from "../../src/index.ts";
import { SEED_LADDER } from "../fakes.ts";

const params = SEED_LADDER;

function liveFrom(price: string): LiveOrder[] {
  const ladder = computeLadder(price, params);
  return [...ladder.bids, ...ladder.asks].map((level) => ({
    orderId: `old-${level.side}-${level.level}`,
    side: level.side,
    level: level.level,
    price: level.price,
    quantity: level.quantity,
  }));
}

function plan(price: string, live: LiveOrder[], position: string, maxPosition: string): Plan {
  const target = trimToPositionLimit(computeLadder(price, params), {
    position,
    maxPosition,
    qtyStep: "0.001",
  });
  let n = 0;
  return diff.plan({
    book: "BTC-USDT",
    target,
    live,
    orderId: (side, level) => `new-${side}-${level}-${n++}`,
  });
}

/** The most the side could hold on the venue at any moment while the plan runs. */
function worstCase(result: Plan, live: readonly LiveOrder[], side: Side): Decimal {
  const resting = new Map(
    live.filter((o) => o.side === side).map((o) => [o.orderId, parseDecimal(o.quantity)]),
  );
  let placed = ZERO;
  let worst = ZERO;
  for (const phase of result.phases) {
    for (const step of phase) {
      if (step.kind === "place" && step.order.side === side)
        placed = add(placed, parseDecimal(step.order.quantity));
    }
    let exposure = placed;
    for (const quantity of resting.values()) exposure = add(exposure, quantity);
    if (gt(exposure, worst)) worst = exposure;
    for (const step of phase) if (step.kind === "cancel") resting.delete(step.orderId);
  }
  return worst;
}

describe("holdPlacesWithinLimit", () => {
  it("turns the side that would overshoot while both ladders rest into break-before-make", () => {
    const live = liveFrom("100");
    const original = plan("101", live, "0.03", "0.065");
    // Make-before-break would hold 3 old and 3 new bids (0.06) with room for 0.035.
    expect(gt(worstCase(original, live, "buy"), parseDecimal("0.035"))).toBe(true);

    const held = holdPlacesWithinLimit(original, live, { position: "0.03", maxPosition: "0.065" });
    expect(gt(worstCase(held, live, "buy"), parseDecimal("0.035"))).toBe(false);
    const [first] = held.phases;
    expect(first!.every((step) => step.kind === "cancel" && step.side === "buy")).toBe(true);
    const last = held.phases.at(-1)!;
    const bidPlaces = last.filter((step) => step.kind === "place" && step.order.side === "buy");
    expect(bidPlaces).toHaveLength(3);
    for (const step of bidPlaces) {
      expect(step.kind === "place" && step.after).toEqual(
        expect.arrayContaining(["old-buy-1", "old-buy-2", "old-buy-3"]),
      );
    }
    // The asks had room (0.095) and keep their make-before-break order.
    const asks = (p: Plan) =>
      p.phases.map((phase) =>
        phase.filter((s) => (s.kind === "place" ? s.order.side : s.side) === "sell"),
      );
    expect(asks(held).filter((phase) => phase.length > 0)).toEqual(
      asks(original).filter((phase) => phase.length > 0),
    );
  });

  it("leaves a plan that stays inside the limit untouched", () => {
    const live = liveFrom("100");
    const original = plan("101", live, "0", "1");
    expect(holdPlacesWithinLimit(original, live, { position: "0", maxPosition: "1" })).toBe(
      original,
    );
  });

  it("never lets a side exceed the room left while the plan runs (property)", () => {
    const lots = (min: number, max: number) =>
      fc.integer({ min, max }).map((units) => (units / 1000).toFixed(3));
    fc.assert(
      fc.property(
        fc.integer({ min: 9_000, max: 11_000 }).map((cents) => (cents / 100).toFixed(2)),
        fc.integer({ min: 9_000, max: 11_000 }).map((cents) => (cents / 100).toFixed(2)),
        lots(-60, 60),
        lots(1, 80),
        (oldPrice, newPrice, position, maxPosition) => {
          const p = parseDecimal(position);
          const max = parseDecimal(maxPosition);
          // The live ladder was itself within the limit (trimmed at the same position).
          const live = liveFrom(oldPrice).filter((order) => {
            const trimmed = trimToPositionLimit(computeLadder(oldPrice, params), {
              position,
              maxPosition,
              qtyStep: "0.001",
            });
            return [...trimmed.bids, ...trimmed.asks].some(
              (level) =>
                level.side === order.side &&
                level.level === order.level &&
                level.quantity === order.quantity,
            );
          });
          const held = holdPlacesWithinLimit(plan(newPrice, live, position, maxPosition), live, {
            position,
            maxPosition,
          });
          // Past the limit already (|position| > max), a side may hold nothing at all.
          expect(gt(worstCase(held, live, "buy"), maxOf(sub(max, p), ZERO))).toBe(false);
          expect(gt(worstCase(held, live, "sell"), maxOf(add(max, p), ZERO))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
