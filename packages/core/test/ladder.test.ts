import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  computeLadder,
  type Decimal,
  formatDecimal,
  gt,
  gte,
  half,
  isMultipleOf,
  LadderError,
  lt,
  lte,
  normalize,
  parseDecimal,
  percentOf,
  quantize,
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

const prices = (levels: readonly { price: string }[]) => levels.map((l) => l.price);

describe("computeLadder: the seed's worked example", () => {
  it("cycle 1, P = 50000.00", () => {
    const ladder = computeLadder("50000.00", seedParams);
    expect(prices(ladder.bids)).toEqual(["49975.00", "49950.00", "49925.00"]);
    expect(prices(ladder.asks)).toEqual(["50025.00", "50050.00", "50075.00"]);
    expect(ladder.bids.map((l) => [l.side, l.level, l.quantity])).toEqual([
      ["buy", 1, "0.010"],
      ["buy", 2, "0.010"],
      ["buy", 3, "0.010"],
    ]);
    expect(ladder.asks.map((l) => l.side)).toEqual(["sell", "sell", "sell"]);
    expect(ladder.pushedOut).toEqual([]);
  });

  it("cycle 2, P = 50100.00", () => {
    const ladder = computeLadder("50100.00", seedParams);
    expect(prices(ladder.bids)).toEqual(["50074.95", "50049.90", "50024.85"]);
    expect(prices(ladder.asks)).toEqual(["50125.05", "50150.10", "50175.15"]);
  });

  it("formats prices to the tick's digits", () => {
    const ladder = computeLadder("50000", { ...seedParams, priceTick: "0.001", qtyStep: "0.01" });
    expect(prices(ladder.bids)[0]).toBe("49975.000");
    expect(ladder.bids[0]?.quantity).toBe("0.01");
    expect(computeLadder("50000", { ...seedParams, priceTick: "0.010" }).bids[0]?.price).toBe(
      "49975.00",
    );
    expect(computeLadder("50000", { ...seedParams, priceTick: "5" }).asks[0]?.price).toBe("50025");
  });

  it("rounds bids down and asks up (never closer to P than the formula)", () => {
    // half spread 0.0505, so bid_1 = 100.9495 and ask_1 = 101.0505 exactly.
    const ladder = computeLadder("101", { ...seedParams, priceTick: "0.01", levels: 1 });
    expect(ladder.bids[0]?.price).toBe("100.94");
    expect(ladder.asks[0]?.price).toBe("101.06");
  });

  it("accepts Decimals as well as strings", () => {
    const ladder = computeLadder(parseDecimal("50000"), {
      ...seedParams,
      baseSpreadPercent: parseDecimal("0.1"),
      priceTick: parseDecimal("0.01"),
    });
    expect(ladder.bids[0]?.price).toBe("49975.00");
  });

  it("pushes a collapsed level one tick outward and reports it", () => {
    // step = 0.05% of 10 = 0.005, finer than the 0.01 tick: levels would collapse.
    const ladder = computeLadder("10", { ...seedParams, priceTick: "0.01" });
    expect(prices(ladder.bids)).toEqual(["9.99", "9.98", "9.97"]);
    expect(prices(ladder.asks)).toEqual(["10.01", "10.02", "10.03"]);
    expect(ladder.pushedOut).toContainEqual({
      side: "buy",
      level: 2,
      formulaPrice: "9.99",
      price: "9.98",
    });
    expect(ladder.pushedOut.some((p) => p.side === "sell")).toBe(true);
  });
});

describe("computeLadder: refusals", () => {
  const refuse = (price: string, params: object, field: string) => {
    let error: unknown;
    try {
      computeLadder(price, { ...seedParams, ...params });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LadderError);
    expect((error as LadderError).field).toBe(field);
    expect((error as LadderError).message).toContain(field);
  };

  it("refuses a size that quantizes to zero", () =>
    refuse("100", { orderSize: "0.0004" }, "orderSize"));
  it("refuses zero or negative prices", () => {
    refuse("0", {}, "price");
    refuse("-1", {}, "price");
  });
  it("refuses a bid at or below zero", () => refuse("0.01", { priceTick: "0.01" }, "price"));
  it("refuses deep levels below zero", () =>
    refuse("100", { levels: 50, priceStepPercent: "5" }, "price"));
  it("refuses malformed decimals naming the field", () => {
    refuse("1e5", {}, "price");
    refuse("100", { priceTick: "NaN" }, "priceTick");
    refuse("100", { baseSpreadPercent: " 0.1" }, "baseSpreadPercent");
    refuse("100", { qtyStep: "" }, "qtyStep");
  });
  it("refuses bad levels, zero spread and zero tick", () => {
    refuse("100", { levels: 0 }, "levels");
    refuse("100", { levels: 2.5 }, "levels");
    refuse("100", { baseSpreadPercent: "0" }, "baseSpreadPercent");
    refuse("100", { priceTick: "0" }, "priceTick");
    refuse("100", { priceStepPercent: "-0.1" }, "priceStepPercent");
  });
});

// ------------------------------------------------------------------ properties

const decimalString = (min: bigint, max: bigint, scale: number) =>
  fc.bigInt({ min, max }).map((units) => formatDecimal({ units, scale }));

const ticks = fc.constantFrom("0.001", "0.01", "0.05", "0.1", "0.5", "1", "5", "10");
const price = decimalString(1n, 10_000_000_000n, 3); // 0.001 .. 10,000,000
const spread = decimalString(1n, 5_000n, 3); // 0.001% .. 5%
const step = decimalString(0n, 2_000n, 3); // 0% .. 2%
const levels = fc.integer({ min: 1, max: 50 });

describe("computeLadder: properties", () => {
  it("every ladder is on the tick, monotonic, around P, and each price on the formula's safe side", () => {
    fc.assert(
      fc.property(price, spread, step, levels, ticks, (p, s, st, n, tick) => {
        const params = {
          levels: n,
          baseSpreadPercent: s,
          priceStepPercent: st,
          orderSize: "1",
          priceTick: tick,
          qtyStep: "1",
        };
        const P = parseDecimal(p);
        const deepest = deepestBid(P, parseDecimal(s), parseDecimal(st), n, parseDecimal(tick));
        let ladder: ReturnType<typeof computeLadder>;
        try {
          ladder = computeLadder(p, params);
        } catch (error) {
          // Refused only when the rule really puts a bid at or below zero.
          expect(error).toBeInstanceOf(LadderError);
          expect(lte(deepest, ZERO)).toBe(true);
          return;
        }
        expect(gt(deepest, ZERO)).toBe(true);
        expect(ladder.bids.at(-1)?.price).toBe(
          formatDecimal(normalize(deepest), normalize(parseDecimal(tick)).scale),
        );
        check(ladder, P, parseDecimal(s), parseDecimal(st), parseDecimal(tick));
      }),
      { numRuns: 500 },
    );
  });
});

const ZERO: Decimal = { units: 0n, scale: 0 };

/**
 * The deepest bid the rule gives, computed independently: with push-out, bid_i is
 * min(floor(exact_i), bid_{i-1} - tick), so bid_n = min over k of floor(exact_k) - (n-k)*tick.
 */
function deepestBid(P: Decimal, s: Decimal, st: Decimal, n: number, tick: Decimal): Decimal {
  const halfSpread = half(percentOf(P, s));
  const stepSize = percentOf(P, st);
  let best: Decimal | undefined;
  let exact = sub(P, halfSpread);
  for (let k = 1; k <= n; k++) {
    if (k > 1) exact = sub(exact, stepSize);
    let candidate = quantize(exact, tick, "down");
    for (let j = k; j < n; j++) candidate = sub(candidate, tick);
    if (best === undefined || lt(candidate, best)) best = candidate;
  }
  return best!;
}

function check(
  ladder: ReturnType<typeof computeLadder>,
  P: Decimal,
  s: Decimal,
  st: Decimal,
  tick: Decimal,
) {
  const bids = ladder.bids.map((l) => parseDecimal(l.price));
  const asks = ladder.asks.map((l) => parseDecimal(l.price));
  const tickScale = normalize(tick).scale;
  for (const [i, level] of [...ladder.bids, ...ladder.asks].entries()) {
    const value = parseDecimal(level.price);
    expect(isMultipleOf(value, tick), `${level.price} on tick ${formatDecimal(tick)}`).toBe(true);
    expect(value.scale, `index ${i} formatted to the tick`).toBe(tickScale);
  }
  for (let i = 1; i < bids.length; i++) {
    expect(lt(bids[i]!, bids[i - 1]!)).toBe(true);
    expect(lt(asks[i - 1]!, asks[i]!)).toBe(true);
  }
  expect(lt(bids[0]!, P)).toBe(true);
  expect(lt(P, asks[0]!)).toBe(true);
  expect(lt(bids[0]!, asks[0]!)).toBe(true); // best bid below best ask: every bid below every ask
  if (gte(percentOf(P, st), tick)) expect(ladder.pushedOut).toEqual([]);

  const halfSpread = half(percentOf(P, s));
  const stepSize = percentOf(P, st);
  let exactBid = sub(P, halfSpread);
  let exactAsk = add(P, halfSpread);
  const pushed = new Set(ladder.pushedOut.map((p) => `${p.side}:${p.level}`));
  for (let i = 0; i < bids.length; i++) {
    if (i > 0) {
      exactBid = sub(exactBid, stepSize);
      exactAsk = add(exactAsk, stepSize);
    }
    const bid = bids[i]!;
    const ask = asks[i]!;
    // Safe side always: never closer to P than the formula.
    expect(lte(bid, exactBid)).toBe(true);
    expect(gte(ask, exactAsk)).toBe(true);
    if (pushed.has(`buy:${i + 1}`)) {
      // Pushed out: exactly one tick outside the previous level, which the formula would have hit.
      expect(formatDecimal(bid, tickScale)).toBe(
        formatDecimal(normalize(sub(bids[i - 1]!, tick)), tickScale),
      );
      expect(gte(exactBid, sub(bids[i - 1]!, tick))).toBe(true);
    } else {
      expect(lt(sub(exactBid, bid), tick)).toBe(true);
    }
    if (pushed.has(`sell:${i + 1}`)) {
      expect(formatDecimal(ask, tickScale)).toBe(
        formatDecimal(normalize(add(asks[i - 1]!, tick)), tickScale),
      );
      expect(lte(exactAsk, add(asks[i - 1]!, tick))).toBe(true);
    } else {
      expect(lt(sub(ask, exactAsk), tick)).toBe(true);
    }
  }
}
