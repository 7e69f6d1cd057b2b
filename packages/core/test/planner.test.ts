import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abs,
  ConfigError,
  computeLadder,
  diff,
  formatDecimal,
  gte,
  type Ladder,
  type LiveOrder,
  lte,
  type Plan,
  type PlanStep,
  parseDecimal,
  percentOf,
  planCancelAll,
  planCycle,
  type RequoteModeName,
  type Requoter,
  resolveRequoter,
  type Side,
  sign,
  sub,
} from "../src/index.ts";

const seedParams = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.01",
  qtyStep: "0.001",
};

const idsFor = (stamp: string) => (side: Side, level: number) => `mm-01-${side}-${level}-${stamp}`;

/** What would rest after running the plan with every step succeeding. */
function apply(live: readonly LiveOrder[], plan: Plan): LiveOrder[] {
  const book = new Map(live.map((o) => [o.orderId, o]));
  for (const kept of plan.keep) {
    const order = book.get(kept.orderId)!;
    book.set(kept.orderId, { ...order, level: kept.level });
  }
  for (const phase of plan.phases) {
    for (const step of phase) {
      if (step.kind === "cancel") book.delete(step.orderId);
      else
        book.set(step.order.orderId, {
          orderId: step.order.orderId,
          side: step.order.side,
          level: step.level,
          price: step.order.price,
          quantity: step.order.quantity,
        });
    }
  }
  return [...book.values()];
}

const steps = (plan: Plan) => plan.phases.flat();
const describeStep = (s: PlanStep) =>
  s.kind === "cancel"
    ? `cancel ${s.orderId}`
    : `place ${s.order.orderId} ${s.order.side} ${s.order.price}`;

describe("the seed's worked example", () => {
  const cycle1 = computeLadder("50000.00", seedParams);
  const cycle2 = computeLadder("50100.00", seedParams);

  it("replace-all: cycle 1 places six orders in the seed's order, one at a time", () => {
    const plan = planCycle({
      mode: "replace-all",
      book: "BTC-USDT",
      target: cycle1,
      live: [],
      orderId: idsFor("ts1"),
    });
    expect(plan.phases.every((phase) => phase.length === 1)).toBe(true);
    expect(steps(plan).map(describeStep)).toEqual([
      "place mm-01-buy-1-ts1 buy 49975.00",
      "place mm-01-sell-1-ts1 sell 50025.00",
      "place mm-01-buy-2-ts1 buy 49950.00",
      "place mm-01-sell-2-ts1 sell 50050.00",
      "place mm-01-buy-3-ts1 buy 49925.00",
      "place mm-01-sell-3-ts1 sell 50075.00",
    ]);
    for (const step of steps(plan)) {
      expect(step.kind === "place" && step.order.quantity).toBe("0.010");
      expect(step.kind === "place" && step.order.book).toBe("BTC-USDT");
    }
  });

  it("replace-all: cycle 2 cancels the six ids of cycle 1, then places the new ladder", () => {
    const live = apply(
      [],
      planCycle({
        mode: "replace-all",
        book: "b",
        target: cycle1,
        live: [],
        orderId: idsFor("ts1"),
      }),
    );
    const plan = planCycle({
      mode: "replace-all",
      book: "b",
      target: cycle2,
      live,
      orderId: idsFor("ts2"),
    });
    expect(plan.phases.every((phase) => phase.length === 1)).toBe(true);
    expect(steps(plan).map(describeStep)).toEqual([
      "cancel mm-01-buy-1-ts1",
      "cancel mm-01-sell-1-ts1",
      "cancel mm-01-buy-2-ts1",
      "cancel mm-01-sell-2-ts1",
      "cancel mm-01-buy-3-ts1",
      "cancel mm-01-sell-3-ts1",
      "place mm-01-buy-1-ts2 buy 50074.95",
      "place mm-01-sell-1-ts2 sell 50125.05",
      "place mm-01-buy-2-ts2 buy 50049.90",
      "place mm-01-sell-2-ts2 sell 50150.10",
      "place mm-01-buy-3-ts2 buy 50024.85",
      "place mm-01-sell-3-ts2 sell 50175.15",
    ]);
  });

  it("diff (the default) ends with the same orders at the same prices", () => {
    const first = planCycle({ book: "b", target: cycle1, live: [], orderId: idsFor("ts1") });
    expect(first.mode).toBe("diff");
    const live1 = apply([], first);
    const second = planCycle({ book: "b", target: cycle2, live: live1, orderId: idsFor("ts2") });
    const live2 = apply(live1, second);
    const bySide = (side: Side) =>
      live2
        .filter((o) => o.side === side)
        .map((o) => o.price)
        .sort();
    expect(bySide("buy")).toEqual(["50024.85", "50049.90", "50074.95"]);
    expect(bySide("sell")).toEqual(["50125.05", "50150.10", "50175.15"]);
    // The six ids of cycle 1 are cancelled; the new ones have the seed's form.
    const cancelled = steps(second)
      .filter((s) => s.kind === "cancel")
      .map((s) => (s.kind === "cancel" ? s.orderId : ""));
    expect(cancelled.sort()).toEqual(live1.map((o) => o.orderId).sort());
    expect(live2.map((o) => o.orderId).sort()).toEqual([
      "mm-01-buy-1-ts2",
      "mm-01-buy-2-ts2",
      "mm-01-buy-3-ts2",
      "mm-01-sell-1-ts2",
      "mm-01-sell-2-ts2",
      "mm-01-sell-3-ts2",
    ]);
  });

  it("diff: the +100 move crosses the old asks, so those go first, after the new asks are in", () => {
    const live1 = apply(
      [],
      planCycle({ book: "b", target: cycle1, live: [], orderId: idsFor("ts1") }),
    );
    const plan = planCycle({ book: "b", target: cycle2, live: live1, orderId: idsFor("ts2") });
    expect(plan.phases.map((phase) => phase.map(describeStep))).toEqual([
      // New asks and the one new bid below every old ask.
      [
        "place mm-01-sell-1-ts2 sell 50125.05",
        "place mm-01-sell-2-ts2 sell 50150.10",
        "place mm-01-buy-3-ts2 buy 50024.85",
        "place mm-01-sell-3-ts2 sell 50175.15",
      ],
      ["cancel mm-01-sell-1-ts1", "cancel mm-01-sell-2-ts1"],
      ["place mm-01-buy-1-ts2 buy 50074.95", "place mm-01-buy-2-ts2 buy 50049.90"],
      [
        "cancel mm-01-buy-1-ts1",
        "cancel mm-01-buy-2-ts1",
        "cancel mm-01-buy-3-ts1",
        "cancel mm-01-sell-3-ts1",
      ],
    ]);
    const waiting = plan.phases[2]!.map((s) => (s.kind === "place" ? s.after : []));
    expect(waiting).toEqual([["mm-01-sell-1-ts1", "mm-01-sell-2-ts1"], ["mm-01-sell-1-ts1"]]);
  });

  it("diff: an unchanged price plans nothing", () => {
    const live = apply(
      [],
      planCycle({ book: "b", target: cycle1, live: [], orderId: idsFor("ts1") }),
    );
    const plan = planCycle({
      book: "b",
      target: computeLadder("50000", seedParams),
      live,
      orderId: idsFor("ts2"),
    });
    expect(plan.phases).toEqual([]);
    expect(plan.keep).toHaveLength(6);
  });

  it("diff: a move of exactly one step keeps the orders that now sit on another level", () => {
    const params = { ...seedParams, priceStepPercent: "0.05" };
    // At P = 50025 half spread and step are 25.0125, so the old prices are 2-3 cents off
    // their new levels: a tolerance of 0.01% accepts that drift.
    const live = apply(
      [],
      planCycle({
        book: "b",
        target: computeLadder("50000", params),
        live: [],
        orderId: idsFor("ts1"),
      }),
    );
    const plan = planCycle({
      book: "b",
      target: computeLadder("50025", params),
      live,
      orderId: idsFor("ts2"),
      refreshTolerancePercent: "0.01",
    });
    // Old bid 1 (49975) now serves as bid 2, old bid 2 as bid 3; old ask 2 as ask 1, ask 3 as ask 2.
    expect(plan.keep).toEqual(
      expect.arrayContaining([
        { orderId: "mm-01-buy-1-ts1", level: 2 },
        { orderId: "mm-01-buy-2-ts1", level: 3 },
        { orderId: "mm-01-sell-2-ts1", level: 1 },
        { orderId: "mm-01-sell-3-ts1", level: 2 },
      ]),
    );
    expect(steps(plan).map(describeStep).sort()).toEqual(
      [
        "cancel mm-01-buy-3-ts1",
        "cancel mm-01-sell-1-ts1",
        "place mm-01-buy-1-ts2 buy 49999.98",
        "place mm-01-sell-3-ts2 sell 50100.04",
      ].sort(),
    );
  });

  it("diff: tolerance keeps an order that moved less than it, replaces one that moved more", () => {
    const ladder = computeLadder("100", { ...seedParams, levels: 1 });
    const live: LiveOrder[] = [
      { orderId: "b", side: "buy", level: 1, price: "99.90", quantity: "0.01" },
      { orderId: "s", side: "sell", level: 1, price: "100.00", quantity: "0.01" },
    ];
    // target bid 99.95: 99.90 is 0.05% away; target ask 100.05, 100.00 is at P (not on its side).
    const plan = planCycle({
      book: "x",
      target: ladder,
      live,
      orderId: idsFor("t"),
      refreshTolerancePercent: "0.06",
    });
    expect(plan.keep).toEqual([{ orderId: "b", level: 1 }]);
    expect(steps(plan).map(describeStep)).toContain("cancel s");
    const strict = planCycle({
      book: "x",
      target: ladder,
      live,
      orderId: idsFor("t"),
      refreshTolerancePercent: "0.04",
    });
    expect(strict.keep).toEqual([]);
  });

  it("diff: a partly filled order (wrong size) is replaced", () => {
    const ladder = computeLadder("50000", { ...seedParams, levels: 1 });
    const live: LiveOrder[] = [
      { orderId: "b", side: "buy", level: 1, price: "49975.00", quantity: "0.004" },
      { orderId: "s", side: "sell", level: 1, price: "50025.00", quantity: "0.010" },
    ];
    const plan = planCycle({ book: "x", target: ladder, live, orderId: idsFor("t") });
    expect(plan.keep).toEqual([{ orderId: "s", level: 1 }]);
    expect(steps(plan).map(describeStep)).toEqual(["place mm-01-buy-1-t buy 49975.00", "cancel b"]);
  });

  it("uncertain creates are never kept and always cancelled", () => {
    const ladder = computeLadder("50000", { ...seedParams, levels: 1 });
    const live: LiveOrder[] = [
      {
        orderId: "u",
        side: "buy",
        level: 1,
        price: "49975.00",
        quantity: "0.010",
        uncertain: true,
      },
    ];
    const plan = planCycle({ book: "x", target: ladder, live, orderId: idsFor("t") });
    expect(plan.keep).toEqual([]);
    expect(steps(plan).find((s) => s.kind === "cancel")).toMatchObject({
      orderId: "u",
      reason: "uncertain",
    });
  });

  it("replace-all: a create waits on any cancel it would cross", () => {
    const live: LiveOrder[] = [
      { orderId: "old-ask", side: "sell", level: 1, price: "50050.00", quantity: "0.010" },
    ];
    const plan = planCycle({
      mode: "replace-all",
      book: "x",
      target: computeLadder("50100", seedParams),
      live,
      orderId: idsFor("t"),
    });
    const buy1 = steps(plan).find((s) => s.kind === "place" && s.order.orderId === "mm-01-buy-1-t");
    expect(buy1).toMatchObject({ after: ["old-ask"] });
  });

  it("planCancelAll cancels everything in one concurrent phase", () => {
    const live: LiveOrder[] = [
      { orderId: "a", side: "buy", level: 1, price: "1", quantity: "1" },
      { orderId: "b", side: "sell", level: 1, price: "2", quantity: "1", uncertain: true },
    ];
    const plan = planCancelAll(live, "pull");
    expect(plan.phases).toHaveLength(1);
    expect(plan.phases[0]!.map((s) => s.kind === "cancel" && s.reason)).toEqual([
      "pull",
      "uncertain",
    ]);
    expect(planCancelAll([], "pull").phases).toEqual([]);
  });

  it("modes resolve by name; unknown names are refused; custom requoters plug in", () => {
    expect(resolveRequoter(undefined)).toBe(diff);
    expect(resolveRequoter("replace-all").name).toBe("replace-all");
    expect(() => resolveRequoter("smart" as RequoteModeName)).toThrow(ConfigError);
    expect(() => resolveRequoter("toString" as RequoteModeName)).toThrow(ConfigError);
    const custom: Requoter = {
      name: "nothing",
      plan: () => ({ mode: "nothing", phases: [], keep: [] }),
    };
    expect(
      planCycle({
        mode: custom,
        book: "x",
        target: computeLadder("1", seedParams),
        live: [],
        orderId: idsFor("t"),
      }).mode,
    ).toBe("nothing");
    expect(() =>
      planCycle({
        book: "x",
        target: computeLadder("100", seedParams),
        live: [],
        orderId: idsFor("t"),
        refreshTolerancePercent: "-1",
      }),
    ).toThrow(/refreshTolerancePercent/);
  });
});

// ------------------------------------------------------------------ properties (issue 8)

interface ModelOrder extends LiveOrder {}

const crossed = (orders: readonly LiveOrder[]): string | undefined => {
  const bids = orders.filter((o) => o.side === "buy");
  const asks = orders.filter((o) => o.side === "sell");
  for (const b of bids)
    for (const a of asks)
      if (gte(parseDecimal(b.price), parseDecimal(a.price)))
        return `${b.orderId}@${b.price} >= ${a.orderId}@${a.price}`;
  return undefined;
};

const confirmedCount = (orders: readonly LiveOrder[], side: Side) =>
  orders.filter((o) => o.side === side && !o.uncertain).length;

/** Each target level is served by exactly one live order of the right size, within tolerance. */
function matchesTarget(
  live: readonly LiveOrder[],
  ladder: Ladder,
  tolerancePercent: string,
): string | undefined {
  for (const side of ["buy", "sell"] as const) {
    const targets = side === "buy" ? ladder.bids : ladder.asks;
    const orders = live.filter((o) => o.side === side);
    if (orders.length !== targets.length)
      return `${side}: ${orders.length} live, ${targets.length} wanted`;
    for (const target of targets) {
      const serving = orders.filter((o) => o.level === target.level);
      if (serving.length !== 1) return `${side} level ${target.level} served by ${serving.length}`;
      const order = serving[0]!;
      if (order.uncertain) return `${side} level ${target.level} uncertain`;
      if (sign(sub(parseDecimal(order.quantity), parseDecimal(target.quantity))) !== 0)
        return `size of ${order.orderId}`;
      const distance = abs(sub(parseDecimal(order.price), parseDecimal(target.price)));
      const allowed = percentOf(parseDecimal(target.price), parseDecimal(tolerancePercent));
      if (!lte(distance, allowed))
        return `${order.orderId} at ${order.price}, target ${target.price}`;
    }
  }
  return undefined;
}

const cycleArb = fc.record({
  /** Price move in ticks of 0.01 from the previous price: mostly small, sometimes huge. */
  move: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -3000, max: 3000 })),
  /** Orders to fill (indexes into the live list) before the cycle: full or partial. */
  fills: fc.array(fc.record({ index: fc.nat(), partial: fc.boolean() }), { maxLength: 4 }),
  /** Creates of this cycle whose outcome becomes unknown (they may rest). */
  uncertain: fc.array(fc.nat(), { maxLength: 2 }),
});

const scenarioArb = fc.record({
  mode: fc.constantFrom<RequoteModeName>("diff", "replace-all"),
  levels: fc.integer({ min: 1, max: 8 }),
  spread: fc.constantFrom("0.05", "0.1", "0.5", "2"),
  step: fc.constantFrom("0", "0.01", "0.05", "0.2"),
  tolerance: fc.constantFrom("0", "0", "0.01", "0.05", "0.2"),
  start: fc.integer({ min: 5_000, max: 5_000_000 }),
  cycles: fc.array(cycleArb, { minLength: 1, maxLength: 8 }),
});

describe("planner properties", () => {
  it("live equals target after every clean cycle; no state in any interleaving is self-crossed; diff never thins a side", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const params = {
          levels: scenario.levels,
          baseSpreadPercent: scenario.spread,
          priceStepPercent: scenario.step,
          orderSize: "1",
          priceTick: "0.01",
          qtyStep: "0.1",
        };
        let cents = scenario.start;
        let live: ModelOrder[] = [];
        for (const [c, cycle] of scenario.cycles.entries()) {
          // Fills between cycles: an order is consumed fully (gone) or partly (smaller).
          for (const fill of cycle.fills) {
            const confirmed = live.filter((o) => !o.uncertain);
            const target = confirmed[fill.index % Math.max(1, confirmed.length)];
            if (!target) continue;
            live = fill.partial
              ? live.map((o) => (o === target ? { ...o, quantity: "0.5" } : o))
              : live.filter((o) => o !== target);
          }
          cents = Math.max(100, cents + cycle.move);
          const ladder = computeLadder(formatDecimal({ units: BigInt(cents), scale: 2 }), params);
          const plan = planCycle({
            mode: scenario.mode,
            book: "b",
            target: ladder,
            live,
            orderId: idsFor(`c${c}`),
            refreshTolerancePercent: scenario.tolerance,
          });

          const before = { buy: confirmedCount(live, "buy"), sell: confirmedCount(live, "sell") };
          let state = live.map((o) => {
            const kept = plan.keep.find((k) => k.orderId === o.orderId);
            return kept ? { ...o, level: kept.level } : o;
          });
          const uncertainIds = new Set<string>();
          const places = plan.phases.flat().filter((s) => s.kind === "place");
          for (const i of cycle.uncertain) {
            const step = places[i % Math.max(1, places.length)];
            if (step?.kind === "place") uncertainIds.add(step.order.orderId);
          }
          for (const phase of plan.phases) {
            const added: ModelOrder[] = [];
            for (const step of phase) {
              if (step.kind !== "place") continue;
              // Its prerequisites were cancelled in an earlier phase.
              for (const id of step.after)
                expect(
                  state.some((o) => o.orderId === id),
                  `${id} still resting`,
                ).toBe(false);
              added.push({
                orderId: step.order.orderId,
                side: step.order.side,
                level: step.level,
                price: step.order.price,
                quantity: step.order.quantity,
                uncertain: uncertainIds.has(step.order.orderId),
              });
            }
            const cancelled = new Set(
              phase.flatMap((s) => (s.kind === "cancel" ? [s.orderId] : [])),
            );
            // Most orders present in any interleaving: every place done, no cancel yet.
            const widest = [...state, ...added];
            expect(
              crossed(widest),
              `cycle ${c} phase ${plan.phases.indexOf(phase)}`,
            ).toBeUndefined();
            // Fewest confirmed orders in any interleaving: every cancel done, no place yet.
            const thinnest = state.filter((o) => !cancelled.has(o.orderId));
            // (Only when this cycle's creates all succeed: a failed replacement thins a side.)
            if (scenario.mode === "diff" && uncertainIds.size === 0) {
              for (const side of ["buy", "sell"] as const) {
                expect(confirmedCount(thinnest, side), `cycle ${c} ${side}`).toBeGreaterThanOrEqual(
                  Math.min(before[side], scenario.levels),
                );
              }
            }
            state = [...thinnest, ...added];
          }
          live = state;
          if (uncertainIds.size === 0) {
            expect(matchesTarget(live, ladder, scenario.tolerance), `cycle ${c}`).toBeUndefined();
            if (scenario.tolerance === "0") {
              const prices = (side: Side) =>
                live
                  .filter((o) => o.side === side)
                  .map((o) => o.price)
                  .sort();
              expect(prices("buy")).toEqual(ladder.bids.map((l) => l.price).sort());
              expect(prices("sell")).toEqual(ladder.asks.map((l) => l.price).sort());
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
