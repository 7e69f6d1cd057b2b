import { describe, expect, it } from "vitest";
import { FixedPointParseError, formatFixed, parseFixed } from "../src/fixed-point.ts";

describe("parseFixed", () => {
  it.each([
    ["1", 1000n],
    ["49975", 49_975_000n],
    ["49975.5", 49_975_500n],
    ["0.01", 10n],
    ["+2.25", 2250n],
    ["-1.5", -1500n],
    [".5", 500n],
    ["7.", 7000n],
    ["007.010", 7010n],
  ])("reads %j as %d thousandths", (text, units) => {
    expect(parseFixed(text)).toBe(units);
  });

  it.each([
    ["0.0129", 12n],
    ["49975.4999", 49_975_499n],
    ["0.0004", 0n],
    ["-0.0009", 0n],
    ["1.99999999", 1999n],
    // It stops reading after the third fractional digit: what follows is never looked at.
    ["0.0129x", 12n],
    ["1.2345xyz", 1234n],
    ["1.234.5", 1234n],
    [".", 0n],
  ])("truncates %j to %d thousandths, as Matchingo does", (text, units) => {
    expect(parseFixed(text)).toBe(units);
  });

  it.each([
    ["", "empty string"],
    ["-", "missing digits after sign"],
    ["1e3", "bad digit"],
    ["1,5", "bad digit"],
    [" 1", "bad digit"],
    ["0x10", "bad digit"],
    ["1.2.3", "multiple dots"],
    ["--1", "bad digit"],
    ["1-", "bad digit"],
    ["0.12x", "bad digit"],
  ])("rejects %j (%s)", (text, reason) => {
    expect(() => parseFixed(text)).toThrow(FixedPointParseError);
    expect(() => parseFixed(text)).toThrow(reason);
  });
});

it("wraps around 64 bits instead of refusing a number too large, as Matchingo does", () => {
  expect(parseFixed("9223372036854775.807")).toBe(2n ** 63n - 1n);
  expect(parseFixed("9223372036854775.808")).toBe(-(2n ** 63n));
});

describe("formatFixed", () => {
  it.each([
    [0n, "0"],
    [49_975_000n, "49975.000"],
    [10n, "0.010"],
    [1n, "0.001"],
    [1500n, "1.500"],
    [-1500n, "-1.500"],
    [-5n, "-0.005"],
  ])("prints %d thousandths as %j", (units, text) => {
    expect(formatFixed(units)).toBe(text);
  });

  it("round-trips every printed value", () => {
    for (const units of [1n, 999n, 1000n, 123_456_789n, -42n, 9_223_372_036_854_775_807n]) {
      expect(parseFixed(formatFixed(units))).toBe(units);
    }
  });
});
