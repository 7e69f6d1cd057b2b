import { expect, it } from "vitest";
import { createOpsMetrics, readinessOf } from "../../src/ops/index.ts";
import { runnerStatus, symbolStatus } from "./fake-status.ts";
import { sample } from "./scrape.ts";

it("exports position against its limit, realized and unrealized P&L and the risk state", async () => {
  const halted = symbolStatus("BTC-USDT", "50000.00", {
    state: "halted",
    reasons: ["halted by the kill switch: kill switch: loss 1 reached MAX_LOSS 1"],
    position: "0.02",
    pnl: "-1",
    risk: {
      state: "halted",
      maxPosition: "0.03",
      realized: "-0.75",
      unrealized: "-0.25",
      fees: "0.05",
      maxLoss: "1",
      halted: { reason: "kill switch: loss 1 reached MAX_LOSS 1", since: 1 },
    },
  });
  const limited = symbolStatus("ETH-USDT", "3000.00", {
    position: "-0.5",
    risk: { state: "limited", maxPosition: "0.5", realized: "2", fees: "0" },
  });
  const status = runnerStatus([halted, limited]);
  const metrics = createOpsMetrics({ getStatus: () => status, defaultMetrics: false });
  const text = await metrics.registry.metrics();
  const BTC = { symbol: "BTC-USDT" };
  const ETH = { symbol: "ETH-USDT" };
  expect(sample(text, "mm_position", BTC)).toBe(0.02);
  expect(sample(text, "mm_max_position", BTC)).toBe(0.03);
  expect(sample(text, "mm_pnl_realized", BTC)).toBe(-0.75);
  expect(sample(text, "mm_pnl_unrealized", BTC)).toBe(-0.25);
  expect(sample(text, "mm_risk_state", { ...BTC, state: "halted" })).toBe(1);
  expect(sample(text, "mm_risk_state", { ...BTC, state: "ok" })).toBe(0);
  expect(sample(text, "mm_symbol_state", { ...BTC, state: "halted" })).toBe(1);
  expect(sample(text, "mm_risk_state", { ...ETH, state: "limited" })).toBe(1);
  expect(sample(text, "mm_pnl_unrealized", ETH)).toBeUndefined();
  expect(sample(text, "mm_ready")).toBe(0);
  const readiness = readinessOf(status);
  expect(readiness.symbols["BTC-USDT"]?.reasons[0]).toContain("MAX_LOSS");
});
