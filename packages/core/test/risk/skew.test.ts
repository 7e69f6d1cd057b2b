import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  computeLadder,
  computeSkewedLadder,
  eq,
  formatDecimal,
  gte,
  half,
  lte,
  mul,
  parseDecimal,
  percentOf,
  SKEW_RATIO_SCALE,
  skewedCenter,
  sub,
} from "../../src/index.ts";
import { SEED_LADDER } from "../fakes.ts";

const params = SEED_LADDER;

describe("skewedCenter", () => {
  it("at position +½ limit with skew 0.2% is exactly P × (1 − 0.001)", () => {
    for (const price of ["100000", "27123.457", "0.123456789"]) {
      const center = skewedCenter(price, "5", "10", "0.2");
      expect(eq(center, mul(parseDecimal(price), parseDecimal("0.999")))).toBe(true);
    }
  });

  it("is exactly P when skew is 0, there is no limit, or the position is flat", () => {
    expect(formatDecimal(skewedCenter("27123.457", "5", "10", "0"))).toBe("27123.457");
    expect(formatDecimal(skewedCenter("27123.457", "5", undefined, "0.2"))).toBe("27123.457");
    expect(formatDecimal(skewedCenter("27123.457", "0", "10", "0.2"))).toBe("27123.457");
  });

  it("clamps the position at the limit, both ways", () => {
    expect(formatDecimal(skewedCenter("1000", "25", "10", "1"))).toBe("990");
    expect(formatDecimal(skewedCenter("1000", "-25", "10", "1"))).toBe("1010");
    expect(formatDecimal(skewedCenter("1000", "-5", "10", "1"))).toBe("1005");
  });

  it("cuts a non-terminating ratio toward zero, so the centre never moves past the formula", () => {
    // 1/3 → 0.333…3 (18 digits): shift = 1000 × 1% × that.
    const center = skewedCenter("1000", "1", "3", "1");
    const ratio = `0.${"3".repeat(SKEW_RATIO_SCALE)}`;
    expect(
      eq(center, sub(parseDecimal("1000"), mul(parseDecimal("10"), parseDecimal(ratio)))),
    ).toBe(true);
    const short = skewedCenter("1000", "-1", "3", "1");
    expect(eq(short, add(parseDecimal("1000"), mul(parseDecimal("10"), parseDecimal(ratio))))).toBe(
      true,
    );
  });

  it("refuses a limit at or below 0 and a negative skew, naming the field", () => {
    expect(() => skewedCenter("100", "1", "0", "1")).toThrow(/maxPosition must be > 0, got "0"/);
    expect(() => skewedCenter("100", "1", "10", "-1")).toThrow(/skewPercent must be >= 0/);
  });
});

describe("computeSkewedLadder", () => {
  it("without skew is the seed's ladder, unchanged", () => {
    const plain = computeLadder("27123.457", params);
    expect(computeSkewedLadder("27123.457", params, { position: "3" })).toEqual(plain);
    expect(
      computeSkewedLadder("27123.457", params, {
        position: "3",
        maxPosition: "10",
        skewPercent: "0",
      }),
    ).toEqual(plain);
  });

  it("places the levels around the skewed centre with P's spread, bids down and asks up", () => {
    // P = 100000, half spread 50, step 50; centre 99900.
    const ladder = computeSkewedLadder("100000", params, {
      position: "5",
      maxPosition: "10",
      skewPercent: "0.2",
    });
    expect(ladder.reference).toBe("100000");
    expect(ladder.center).toBe("99900");
    expect(ladder.bids.map((level) => level.price)).toEqual(["99850.00", "99800.00", "99750.00"]);
    expect(ladder.asks.map((level) => level.price)).toEqual(["99950.00", "100000.00", "100050.00"]);

    // P = 27123.457: centre 27096.333543, half spread 13.5617285, step 13.5617285.
    const odd = computeSkewedLadder("27123.457", params, {
      position: "5",
      maxPosition: "10",
      skewPercent: "0.2",
    });
    expect(odd.center).toBe("27096.333543");
    expect(odd.bids[0]?.price).toBe("27082.77"); // 27082.7718145 down
    expect(odd.asks[0]?.price).toBe("27109.90"); // 27109.8952715 up
  });

  it("no quote crosses P on the wrong side of what the skew allows (property)", () => {
    const decimalString = (minUnits: number, maxUnits: number, scale: number) =>
      fc
        .integer({ min: minUnits, max: maxUnits })
        .map((units) => formatDecimal({ units: BigInt(units), scale }));
    fc.assert(
      fc.property(
        decimalString(1_000, 100_000_000, 2), // P from 10.00 to 1,000,000.00
        decimalString(-3_000, 3_000, 3), // position
        decimalString(1, 2_000, 3), // limit
        decimalString(0, 500, 3), // skew % up to 0.5
        (price, position, maxPosition, skewPercent) => {
          const ladder = computeSkewedLadder(price, params, { position, maxPosition, skewPercent });
          const p = parseDecimal(price);
          const halfSpread = half(percentOf(p, parseDecimal(params.baseSpreadPercent)));
          const most = percentOf(p, parseDecimal(skewPercent));
          const bid = parseDecimal(ladder.bids[0]!.price);
          const ask = parseDecimal(ladder.asks[0]!.price);
          const held = parseDecimal(position);
          // Never further than the full skew in either direction.
          expect(gte(ask, add(sub(p, most), halfSpread))).toBe(true);
          expect(lte(bid, sub(add(p, most), halfSpread))).toBe(true);
          // Long: never buys more eagerly than unskewed; short: never sells more eagerly.
          if (held.units >= 0n) expect(lte(bid, sub(p, halfSpread))).toBe(true);
          if (held.units <= 0n) expect(gte(ask, add(p, halfSpread))).toBe(true);
          // Skew within the half spread: bids stay below P, asks above.
          if (lte(most, halfSpread)) {
            expect(lte(bid, p) && gte(ask, p)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
