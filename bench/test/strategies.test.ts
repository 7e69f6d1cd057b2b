import { avellanedaStoikov, layered, parseDecimal, sub } from "@matchingo-mm/core";
import { SEED_LADDER } from "@matchingo-mm/testkit";
import { describe, expect, it } from "vitest";
import { runStrategy, takerFlow } from "../src/strategies.ts";
import { randomWalk } from "../src/tape.ts";

const ladder = { ...SEED_LADDER, priceTick: "0.01", qtyStep: "0.001" };
const prices = randomWalk({ seed: 3, ticks: 400, start: "50000.00", sdPercent: 0.02, digits: 2 });
const flow = takerFlow(
  { seed: 9, arrivalChance: 0.3, reachMeanPercent: 0.08, sizeMean: 0.02 },
  prices.length,
  0.001,
);

describe("the strategies bench", () => {
  it("the same tape and flow give the same figures; inventory is what was bought less sold", () => {
    for (const setup of [
      { name: "layered", strategy: layered, ladder },
      {
        name: "as",
        strategy: avellanedaStoikov,
        ladder,
        model: { asGamma: "0.1", asKappa: "0.05" },
      },
    ]) {
      const run = runStrategy(setup, prices, flow, 1000);
      expect(runStrategy(setup, prices, flow, 1000)).toEqual(run);
      expect(run.refused).toBe(0);
      expect(run.fills).toBeGreaterThan(0);
      expect(parseDecimal(run.finalInventory)).toEqual(
        sub(parseDecimal(run.boughtBase), parseDecimal(run.soldBase)),
      );
      // The seed's spread is 0.1 % of P; Avellaneda–Stoikov's is never below it.
      expect(run.averageSpreadBps).toBeGreaterThanOrEqual(9.99);
    }
  });

  it("a taker fills our best level first, at our price", () => {
    const still = ["100.00", "100.00"];
    const oneBuyer = [[{ side: "buy" as const, reach: 0.01, quantity: "0.015" }], []];
    const run = runStrategy({ name: "layered", strategy: layered, ladder }, still, oneBuyer, 1000);
    // Asks 100.05 (0.01) then 100.10 (0.005 of 0.01): 1.0005 + 0.5005 in, 0.015 short.
    expect(run).toMatchObject({ fills: 2, soldBase: "0.015", finalInventory: "-0.015" });
    expect(run.pnl).toBe("0.001");
  });
});
