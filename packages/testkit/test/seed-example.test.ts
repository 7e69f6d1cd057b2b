import { describe, expect, it } from "vitest";
import { SEED_CYCLES, seedCycle } from "../src/index.ts";

describe("the seed's worked example", () => {
  it("is the design doc's ladder at 50000: 25.00 half spread and 25.00 steps", () => {
    expect(SEED_CYCLES[0]).toEqual({
      bids: ["49975.00", "49950.00", "49925.00"],
      asks: ["50025.00", "50050.00", "50075.00"],
    });
  });

  it("shows a cycle with the venue's digits and a suffix", () => {
    expect(seedCycle(2, { digits: 3 }).bids).toEqual(["50074.950", "50049.900", "50024.850"]);
    expect(seedCycle(1, { suffix: " 0.01" }).asks[0]).toBe("50025.00 0.01");
  });

  it("refuses digits that would cut a price", () => {
    expect(() => seedCycle(2, { digits: 1 })).toThrow(/50074.95 does not fit 1 decimals/);
  });
});
