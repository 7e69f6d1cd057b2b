import { Gauge } from "prom-client";
import { RISK_STATES } from "../status/runner-status.ts";
import { amount, type FamilyContext, type MetricFamily } from "./metric-family.ts";

/** Position and P&L of each symbol, against their limits: the risk state. */
export function positionMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus } = context;
  const position = new Gauge({
    name: `${prefix}position`,
    help: "Base quantity bought minus sold by our fills.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const maxPosition = new Gauge({
    name: `${prefix}max_position`,
    help: "MAX_POSITION: the limit on |position|, base units (absent when none is set).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const pnlRealized = new Gauge({
    name: `${prefix}pnl_realized`,
    help: "Realized P&L by average cost, fees included, quote units (restored from the ledger at start).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const pnlUnrealized = new Gauge({
    name: `${prefix}pnl_unrealized`,
    help: "Unrealized P&L of the open position marked at the reference price, quote units.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const riskState = new Gauge({
    name: `${prefix}risk_state`,
    help: "1 for the risk state of each symbol: ok, limited (the position limit trims a side), halted (the loss kill switch pulled the quotes).",
    labelNames: ["symbol", "state"] as const,
    registers,
    ...fromStatus,
  });

  return {
    status: {
      gauges: [position, maxPosition, pnlRealized, pnlUnrealized, riskState],
      read(status) {
        for (const s of status.symbols) {
          const symbol = s.symbol;
          position.set({ symbol }, amount(s.position));
          if (s.risk !== undefined) {
            pnlRealized.set({ symbol }, amount(s.risk.realized));
            if (s.risk.unrealized !== undefined) {
              pnlUnrealized.set({ symbol }, amount(s.risk.unrealized));
            }
            if (s.risk.maxPosition !== undefined) {
              maxPosition.set({ symbol }, amount(s.risk.maxPosition));
            }
            for (const each of RISK_STATES) {
              riskState.set({ symbol, state: each }, each === s.risk.state ? 1 : 0);
            }
          }
        }
      },
    },
  };
}
