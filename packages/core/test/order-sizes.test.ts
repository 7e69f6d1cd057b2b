import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  ConfigError,
  computeLadder,
  type Decimal,
  formatDecimal,
  LadderError,
  normalize,
  parseDecimal,
  parseLadderParams,
  quantize,
  trimToPositionLimit,
  ZERO,
} from "../src/index.ts";

const base = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.01",
  qtyStep: "0.001",
};

const sizes = (params: object) =>
  computeLadder("50000", { ...base, ...params }).bids.map((level) => level.quantity);
const askSizes = (params: object) =>
  computeLadder("50000", { ...base, ...params }).asks.map((level) => level.quantity);

function problemsOf(params: object): { field: string; message: string }[] {
  try {
    parseLadderParams({ ...base, ...params } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map(({ field, message }) => ({ field, message }));
  }
  return [];
}

describe("sizes per level", () => {
  it("one size: every level the same, as the seed", () => {
    expect(sizes({})).toEqual(["0.010", "0.010", "0.010"]);
  });

  it("a list gives each level its size, innermost first, on both sides", () => {
    expect(sizes({ orderSize: "0.01,0.02,0.04" })).toEqual(["0.010", "0.020", "0.040"]);
    expect(askSizes({ orderSize: ["0.01", "0.02", "0.04"] })).toEqual(["0.010", "0.020", "0.040"]);
  });

  it("a step adds to each level outward (Hummingbot's order_level_amount)", () => {
    expect(sizes({ orderSizeStep: "0.005" })).toEqual(["0.010", "0.015", "0.020"]);
  });

  it("a multiplier multiplies each level outward, quantized down to the lot step", () => {
    expect(sizes({ orderSizeMultiplier: "2" })).toEqual(["0.010", "0.020", "0.040"]);
    // 0.01 × 1.5 = 0.015, × 1.5 = 0.0225 → 0.022 (down, never more than asked for).
    expect(sizes({ orderSizeMultiplier: "1.5" })).toEqual(["0.010", "0.015", "0.022"]);
  });

  it("each size of a list quantizes down to the lot step", () => {
    expect(sizes({ orderSize: "0.0109,0.02,0.0409" })).toEqual(["0.010", "0.020", "0.040"]);
  });

  it("the seed's worked example keeps its prices with varied sizes", () => {
    const ladder = computeLadder("50000.00", { ...base, orderSizeStep: "0.01" });
    expect(ladder.bids.map((l) => l.price)).toEqual(["49975.00", "49950.00", "49925.00"]);
    expect(ladder.asks.map((l) => l.price)).toEqual(["50025.00", "50050.00", "50075.00"]);
  });
});

describe("sizes per level: refusals name the setting", () => {
  it("exactly one form at a time", () => {
    expect(problemsOf({ orderSizeStep: "0.01", orderSizeMultiplier: "2" })).toEqual([
      expect.objectContaining({ field: "orderSizeStep", message: expect.stringContaining("both") }),
    ]);
    expect(problemsOf({ orderSize: "0.01,0.02,0.03", orderSizeStep: "0.01" })).toEqual([
      expect.objectContaining({ field: "orderSizeStep", message: expect.stringContaining("list") }),
    ]);
  });

  it("a list must have one size per level", () => {
    expect(problemsOf({ orderSize: "0.01,0.02" })).toEqual([
      expect.objectContaining({
        field: "orderSize",
        message: expect.stringContaining("lists 2 sizes but there are 3 levels"),
      }),
    ]);
  });

  it("every size must be a positive decimal, and a step >= 0, a multiplier > 0", () => {
    expect(problemsOf({ orderSize: "0.01,x,0.03" }).map((p) => p.field)).toEqual(["orderSize"]);
    expect(problemsOf({ orderSize: "0.01,-1,0.03" }).map((p) => p.field)).toEqual(["orderSize"]);
    expect(problemsOf({ orderSizeStep: "-0.001" }).map((p) => p.field)).toEqual(["orderSizeStep"]);
    expect(problemsOf({ orderSizeMultiplier: "0" }).map((p) => p.field)).toEqual([
      "orderSizeMultiplier",
    ]);
  });

  it("a level that quantizes to nothing is refused, named by what shrank it", () => {
    expect(problemsOf({ orderSize: "0.01,0.0005,0.01" })[0]?.field).toBe("orderSize");
    expect(problemsOf({ orderSize: "0.002", orderSizeMultiplier: "0.1" })).toEqual([
      expect.objectContaining({
        field: "orderSizeMultiplier",
        message: expect.stringContaining("level 2"),
      }),
    ]);
    expect(() => computeLadder("100", { ...base, orderSize: "0.0004,0.01,0.01" })).toThrow(
      LadderError,
    );
  });
});

describe("the position limit trims varied sizes from the outside in", () => {
  it("keeps the inner levels whole and cuts the outer one to the room left", () => {
    const ladder = computeLadder("50000", { ...base, orderSize: "0.01,0.02,0.04" });
    // Room for buys: 0.05 − 0.01 = 0.04: 0.01 + 0.02 whole, then 0.01 of the 0.04.
    const trimmed = trimToPositionLimit(ladder, {
      position: "0.01",
      maxPosition: "0.05",
      qtyStep: "0.001",
    });
    expect(trimmed.bids.map((l) => l.quantity)).toEqual(["0.010", "0.020", "0.010"]);
    // Room for sells: 0.05 + 0.01 = 0.06: 0.01 + 0.02, then 0.03 of the 0.04.
    expect(trimmed.asks.map((l) => l.quantity)).toEqual(["0.010", "0.020", "0.030"]);
  });
});

describe("sizes sum as configured (property)", () => {
  const sum = (values: readonly string[]) =>
    values.reduce<Decimal>((total, value) => add(total, parseDecimal(value)), ZERO);
  const text = (value: Decimal) => formatDecimal(normalize(value));

  it("each side's sizes add up to the configured ones, each quantized down", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.oneof(
          fc.constant<{ kind: "one" }>({ kind: "one" }),
          fc.record({ kind: fc.constant("step" as const), step: fc.integer({ min: 0, max: 900 }) }),
          fc.record({
            kind: fc.constant("mult" as const),
            mult: fc.integer({ min: 100, max: 300 }),
          }),
          fc.record({
            kind: fc.constant("list" as const),
            list: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 8, maxLength: 8 }),
          }),
        ),
        (levels, first, form) => {
          const unit = (n: number) => formatDecimal({ units: BigInt(n), scale: 4 });
          const params =
            form.kind === "one"
              ? { orderSize: unit(first) }
              : form.kind === "step"
                ? { orderSize: unit(first), orderSizeStep: unit(form.step) }
                : form.kind === "mult"
                  ? { orderSize: unit(first), orderSizeMultiplier: `${form.mult / 100}` }
                  : { orderSize: form.list.slice(0, levels).map(unit) };
          let expected: Decimal[] = [];
          if (form.kind === "list") {
            expected = form.list.slice(0, levels).map((n) => parseDecimal(unit(n)));
          } else {
            let size = parseDecimal(unit(first));
            for (let i = 0; i < levels; i++) {
              expected.push(size);
              if (form.kind === "step") size = add(size, parseDecimal(unit(form.step)));
              if (form.kind === "mult")
                size = parseDecimal(
                  text({ units: size.units * BigInt(form.mult), scale: size.scale + 2 }),
                );
            }
          }
          const step = parseDecimal("0.001");
          const quantized = expected.map((size) => quantize(size, step, "down"));
          if (quantized.some((size) => size.units <= 0n)) {
            expect(() => computeLadder("50000", { ...base, levels, ...params })).toThrow(
              ConfigError,
            );
            return;
          }
          const ladder = computeLadder("50000", { ...base, levels, ...params });
          const want = text(quantized.reduce((a, b) => add(a, b), ZERO));
          expect(text(sum(ladder.bids.map((l) => l.quantity)))).toBe(want);
          expect(text(sum(ladder.asks.map((l) => l.quantity)))).toBe(want);
          expect(ladder.bids.map((l) => text(parseDecimal(l.quantity)))).toEqual(
            quantized.map(text),
          );
        },
      ),
    );
  });
});
