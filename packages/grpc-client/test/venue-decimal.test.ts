import { describe, expect, it } from "vitest";
import { toVenueDecimal } from "../src/venue-decimal.ts";

describe("toVenueDecimal", () => {
  it.each([
    ["49975", "49975"],
    ["49975.5", "49975.5"],
    ["0.001", "0.001"],
    ["+5", "5"],
    ["007.10", "7.10"],
    ["0.0100", "0.010"],
    ["1.500000", "1.500"],
  ])("accepts %j as %j", (input, canonical) => {
    expect(toVenueDecimal("price", input)).toEqual({ ok: true, text: canonical });
  });

  it.each([
    ["0", /price must be greater than zero, got "0"/],
    ["0.000", /greater than zero/],
    ["-1", /greater than zero/],
    ["0.0004", /more than 3 fractional digits/],
    ["0.0129", /price "0.0129" has more than 3 fractional digits; the venue would truncate/],
    ["1e3", /price "1e3" is not a decimal number/],
    ["", /not a decimal number/],
    [" 1", /not a decimal number/],
    ["9223372036854776", /too large/],
  ])("refuses %j", (input, reason) => {
    const result = toVenueDecimal("price", input);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it("accepts the largest amount the venue's int64 holds", () => {
    expect(toVenueDecimal("quantity", "9223372036854775.807")).toEqual({
      ok: true,
      text: "9223372036854775.807",
    });
  });
});
