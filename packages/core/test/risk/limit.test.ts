import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  computeLadder,
  type Decimal,
  formatDecimal,
  isMultipleOf,
  lte,
  parseDecimal,
  sub,
  trimToPositionLimit,
  ZERO,
} from "../../src/index.ts";
import { SEED_LADDER } from "../fakes.ts";

const ladder = computeLadder("100", SEED_LADDER);
const sizes = (levels: readonly { quantity: string }[]) => levels.map((level) => level.quantity);
const total = (levels: readonly { quantity: string }[]): Decimal =>
  levels.reduce((sum, level) => add(sum, parseDecimal(level.quantity)), ZERO);

describe("trimToPositionLimit", () => {
  it("leaves a ladder that fits untouched", () => {
    const trimmed = trimToPositionLimit(ladder, {
      position: "0",
      maxPosition: "1",
      qtyStep: "0.001",
    });
    expect(trimmed.bids).toEqual(ladder.bids);
    expect(trimmed.asks).toEqual(ladder.asks);
    expect(trimmed.limited).toEqual({ buy: false, sell: false });
  });

  it("trims from the outside in and sizes the last level down to the lot step", () => {
    const trimmed = trimToPositionLimit(ladder, {
      position: "0",
      maxPosition: "0.0255",
      qtyStep: "0.001",
    });
    expect(sizes(trimmed.bids)).toEqual(["0.010", "0.010", "0.005"]);
    expect(sizes(trimmed.asks)).toEqual(["0.010", "0.010", "0.005"]);
    expect(trimmed.limited).toEqual({ buy: true, sell: true });
  });

  it("drops a side whose first level alone would exceed the limit; the other side stays", () => {
    const trimmed = trimToPositionLimit(ladder, {
      position: "0.02",
      maxPosition: "0.025",
      qtyStep: "0.001",
    });
    expect(trimmed.bids).toEqual([]);
    expect(sizes(trimmed.asks)).toEqual(["0.010", "0.010", "0.010"]);
    const short = trimToPositionLimit(ladder, {
      position: "-0.025",
      maxPosition: "0.025",
      qtyStep: "0.001",
    });
    expect(short.asks).toEqual([]);
    expect(sizes(short.bids)).toEqual(["0.010", "0.010", "0.010"]);
  });

  it("counts live orders that stay on the venue against the limit", () => {
    const trimmed = trimToPositionLimit(ladder, {
      position: "0",
      maxPosition: "0.03",
      qtyStep: "0.001",
      liveExposure: { buy: "0.012", sell: "0" },
    });
    expect(sizes(trimmed.bids)).toEqual(["0.010", "0.008"]);
    expect(sizes(trimmed.asks)).toEqual(["0.010", "0.010", "0.010"]);
  });

  it("drops an outer level that would be cut below one lot", () => {
    const trimmed = trimToPositionLimit(ladder, {
      position: "0",
      maxPosition: "0.0209",
      qtyStep: "0.001",
    });
    expect(sizes(trimmed.bids)).toEqual(["0.010", "0.010"]);
  });

  it("refuses a limit or lot step at or below 0, naming the field", () => {
    expect(() =>
      trimToPositionLimit(ladder, { position: "0", maxPosition: "0", qtyStep: "0.001" }),
    ).toThrow(/maxPosition must be > 0/);
    expect(() =>
      trimToPositionLimit(ladder, { position: "0", maxPosition: "1", qtyStep: "-1" }),
    ).toThrow(/qtyStep must be > 0/);
  });

  it("never lets all orders of a side, filled together, take |position| past the limit (property)", () => {
    const lots = (min: number, max: number) =>
      fc.integer({ min, max }).map((units) => formatDecimal({ units: BigInt(units), scale: 3 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        lots(1, 50), // order size
        lots(1, 300), // limit
        lots(-300, 300), // position
        lots(0, 100),
        lots(0, 100),
        (levels, orderSize, maxPosition, position, liveBuy, liveSell) => {
          const full = computeLadder("100", {
            levels,
            baseSpreadPercent: "0.1",
            priceStepPercent: "0.05",
            orderSize,
            priceTick: "0.01",
            qtyStep: "0.001",
          });
          const trimmed = trimToPositionLimit(full, {
            position,
            maxPosition,
            qtyStep: "0.001",
            liveExposure: { buy: liveBuy, sell: liveSell },
          });
          const p = parseDecimal(position);
          const limit = parseDecimal(maxPosition);
          const bids = total(trimmed.bids);
          const asks = total(trimmed.asks);
          if (trimmed.bids.length > 0) {
            expect(lte(add(add(p, bids), parseDecimal(liveBuy)), limit)).toBe(true);
          }
          if (trimmed.asks.length > 0) {
            expect(
              lte(sub(sub(parseDecimal("0"), sub(p, asks)), parseDecimal(liveSell)), limit),
            ).toBe(true);
          }
          for (const [kept, original] of [
            [trimmed.bids, full.bids],
            [trimmed.asks, full.asks],
          ] as const) {
            // A prefix of the original levels; only the last may be smaller, by whole lots.
            kept.forEach((level, index) => {
              const source = original[index]!;
              expect(level.price).toBe(source.price);
              const quantity = parseDecimal(level.quantity);
              expect(isMultipleOf(quantity, parseDecimal("0.001"))).toBe(true);
              expect(quantity.units > 0n).toBe(true);
              if (index < kept.length - 1 || index === 0)
                expect(level.quantity).toBe(source.quantity);
              else expect(lte(quantity, parseDecimal(source.quantity))).toBe(true);
            });
          }
          // The whole first level fits exactly when the side is quoted.
          const bidRoom = sub(sub(limit, p), parseDecimal(liveBuy));
          expect(trimmed.bids.length > 0).toBe(lte(parseDecimal(full.bids[0]!.quantity), bidRoom));
        },
      ),
      { numRuns: 500 },
    );
  });
});
