import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abs,
  add,
  compare,
  DecimalError,
  divide,
  formatDecimal,
  half,
  isDecimalString,
  isMultipleOf,
  mul,
  neg,
  normalize,
  parseDecimal,
  percentOf,
  quantize,
  sub,
  toNumber,
} from "../src/index.ts";

const d = parseDecimal;
const f = (value: ReturnType<typeof parseDecimal>, minScale = 0) => formatDecimal(value, minScale);

describe("parseDecimal / formatDecimal", () => {
  it("round-trips plain decimals, keeping their digits", () => {
    for (const text of [
      "0",
      "1",
      "-1",
      "0.5",
      "-0.5",
      "49975.00",
      "0.001",
      "10000000.000",
      "123456789012345678901234567890.123",
    ]) {
      expect(f(d(text))).toBe(text);
    }
  });

  it("accepts a leading plus and reads -0 as zero", () => {
    expect(f(d("+1.25"))).toBe("1.25");
    expect(f(d("-0"))).toBe("0");
    expect(d("-0.000").units).toBe(0n);
  });

  it("refuses exponents, spaces, NaN, Infinity, empty, commas, bare dots", () => {
    for (const text of [
      "1e5",
      "1E5",
      " 1",
      "1 ",
      "",
      "NaN",
      "Infinity",
      "-Infinity",
      "1,000",
      ".5",
      "5.",
      "0x10",
      "--1",
      "1.2.3",
      "١٢",
    ]) {
      expect(() => d(text), JSON.stringify(text)).toThrow(DecimalError);
      expect(isDecimalString(text)).toBe(false);
    }
    expect(() => d(1 as unknown as string)).toThrow(DecimalError);
    expect(() => d("1".repeat(61))).toThrow(/not a decimal/);
  });

  it("pads to a minimum scale and formats negatives below one", () => {
    expect(f(d("49975"), 2)).toBe("49975.00");
    expect(f(d("1.5"), 3)).toBe("1.500");
    expect(f(d("1.2345"), 2)).toBe("1.2345");
    expect(f(d("-0.05"))).toBe("-0.05");
    expect(f(d("-0.05"), 3)).toBe("-0.050");
  });

  it("normalizes trailing zeros", () => {
    expect(f(normalize(d("1.2500")))).toBe("1.25");
    expect(f(normalize(d("3.000")))).toBe("3");
    expect(f(normalize(d("0.000")))).toBe("0");
  });
});

describe("arithmetic is exact", () => {
  it("0.1 + 0.2 is 0.3", () => {
    expect(f(normalize(add(d("0.1"), d("0.2"))))).toBe("0.3");
  });

  it("computes the seed's offsets exactly", () => {
    expect(f(normalize(half(percentOf(d("50100"), d("0.1")))))).toBe("25.05");
    expect(f(normalize(percentOf(d("50100"), d("0.05"))))).toBe("25.05");
    expect(f(normalize(sub(d("50100"), d("25.05"))))).toBe("50074.95");
  });

  it("mul, neg, abs, compare", () => {
    expect(f(mul(d("-1.5"), d("0.2")))).toBe("-0.3");
    expect(f(neg(d("2.5")))).toBe("-2.5");
    expect(f(abs(d("-2.5")))).toBe("2.5");
    expect(compare(d("1.10"), d("1.1"))).toBe(0);
    expect(compare(d("-1"), d("0.5"))).toBe(-1);
  });

  it("add and sub agree with bigint arithmetic on random inputs", () => {
    const dec = fc.tuple(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      fc.integer({ min: 0, max: 12 }),
    );
    fc.assert(
      fc.property(dec, dec, ([ua, sa], [ub, sb]) => {
        const a = { units: ua, scale: sa };
        const b = { units: ub, scale: sb };
        expect(compare(sub(add(a, b), b), a)).toBe(0);
        expect(compare(parseDecimal(formatDecimal(a)), a)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("quantize", () => {
  it("rounds down (floor) and up (ceiling) to the step", () => {
    expect(f(quantize(d("49975.4999"), d("0.01"), "down"), 2)).toBe("49975.49");
    expect(f(quantize(d("49975.4901"), d("0.01"), "up"), 2)).toBe("49975.50");
    expect(f(quantize(d("0.0129"), d("0.001"), "down"), 3)).toBe("0.012");
    expect(f(quantize(d("7"), d("5"), "down"))).toBe("5");
    expect(f(quantize(d("7"), d("5"), "up"))).toBe("10");
    expect(f(quantize(d("0.07"), d("0.05"), "down"), 2)).toBe("0.05");
  });

  it("leaves multiples alone", () => {
    expect(f(quantize(d("49975.00"), d("0.01"), "down"), 2)).toBe("49975.00");
    expect(f(quantize(d("49975.00"), d("0.01"), "up"), 2)).toBe("49975.00");
  });

  it("is floor and ceiling for negatives too", () => {
    expect(f(quantize(d("-1.25"), d("0.1"), "down"))).toBe("-1.3");
    expect(f(quantize(d("-1.25"), d("0.1"), "up"))).toBe("-1.2");
    expect(f(quantize(d("0.0004"), d("0.001"), "down"))).toBe("0");
  });

  it("refuses a zero or negative step", () => {
    expect(() => quantize(d("1"), d("0"), "down")).toThrow(DecimalError);
    expect(() => quantize(d("1"), d("-0.1"), "up")).toThrow(DecimalError);
  });

  it("always lands on the step, on the named side, within one step", () => {
    const value = fc.tuple(
      fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
      fc.integer({ min: 0, max: 8 }),
    );
    const step = fc.tuple(fc.bigInt({ min: 1n, max: 10_000n }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(value, step, ([vu, vs], [su, ss]) => {
        const v = { units: vu, scale: vs };
        const s = { units: su, scale: ss };
        const down = quantize(v, s, "down");
        const up = quantize(v, s, "up");
        expect(isMultipleOf(down, s) && isMultipleOf(up, s)).toBe(true);
        expect(compare(down, v) <= 0 && compare(up, v) >= 0).toBe(true);
        expect(compare(sub(v, down), s) < 0 && compare(sub(up, v), s) < 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("divide", () => {
  it("rounds in the named direction", () => {
    expect(f(divide(d("1"), d("3"), 4, "down"))).toBe("0.3333");
    expect(f(divide(d("1"), d("3"), 4, "up"))).toBe("0.3334");
    expect(f(divide(d("-1"), d("3"), 2, "down"))).toBe("-0.34");
    expect(f(divide(d("-1"), d("3"), 2, "up"))).toBe("-0.33");
    expect(f(divide(d("10"), d("4"), 3, "down"))).toBe("2.5");
    expect(() => divide(d("1"), d("0"), 2, "down")).toThrow(/division by zero/);
  });
});

describe("toNumber", () => {
  it("is for display only but agrees on ordinary values", () => {
    expect(toNumber(d("49975.25"))).toBe(49975.25);
    expect(toNumber(d("-0.5"))).toBe(-0.5);
  });
});
