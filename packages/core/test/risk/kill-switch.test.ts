import { describe, expect, it } from "vitest";
import { checkLoss } from "../../src/index.ts";

describe("checkLoss", () => {
  it("trips when the total loss reaches MAX_LOSS, and says why", () => {
    expect(checkLoss({ realized: "-60", unrealized: "-39.99" }, { maxLoss: "100" }).tripped).toBe(
      false,
    );
    const tripped = checkLoss({ realized: "-60", unrealized: "-40" }, { maxLoss: "100" });
    expect(tripped).toEqual({
      tripped: true,
      reason: "loss 100 reached MAX_LOSS 100",
      peak: "-100",
    });
  });

  it("measures drawdown from the peak total it is handed back", () => {
    let check = checkLoss({ realized: "0", unrealized: "0" }, { maxDrawdown: "50" });
    expect(check.peak).toBe("0");
    check = checkLoss(
      { realized: "30", unrealized: "40", peak: check.peak },
      { maxDrawdown: "50" },
    );
    expect(check).toEqual({ tripped: false, peak: "70" });
    check = checkLoss(
      { realized: "30", unrealized: "-0.5", peak: check.peak },
      { maxDrawdown: "50" },
    );
    expect(check.tripped).toBe(false);
    check = checkLoss(
      { realized: "30", unrealized: "-10", peak: check.peak },
      { maxDrawdown: "50" },
    );
    expect(check).toEqual({
      tripped: true,
      reason: "drawdown 50 from peak 70 reached MAX_DRAWDOWN 50",
      peak: "70",
    });
  });

  it("never trips without limits, and names both reasons when both are crossed", () => {
    expect(checkLoss({ realized: "-1000000", unrealized: "0" }, {}).tripped).toBe(false);
    const both = checkLoss(
      { realized: "-100", unrealized: "0", peak: "20" },
      { maxLoss: "100", maxDrawdown: "100" },
    );
    expect(both.reason).toBe(
      "loss 100 reached MAX_LOSS 100; drawdown 120 from peak 20 reached MAX_DRAWDOWN 100",
    );
  });

  it("refuses limits at or below 0, naming the field", () => {
    expect(() => checkLoss({ realized: "0", unrealized: "0" }, { maxLoss: "0" })).toThrow(
      /maxLoss must be > 0, got "0"/,
    );
  });
});
