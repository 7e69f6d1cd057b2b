import { Gauge, Histogram } from "prom-client";
import { SYMBOL_STATES } from "../status/runner-status.ts";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

const CYCLE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Quoting cycles: how they end and how long they take, and each symbol's state. */
export function quotingMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus } = context;
  const cycles = context.counter(
    "cycles_total",
    "Quoting cycles, by outcome: quoted, price-error, ladder-error, pulled, venue-error, aborted.",
    ["symbol", "outcome"],
  );
  const cycleDuration = new Histogram({
    name: `${prefix}cycle_duration_seconds`,
    help: "Time from asking for the price to the last order call of a cycle.",
    labelNames: ["symbol"] as const,
    buckets: CYCLE_BUCKETS,
    registers,
  });
  const state = new Gauge({
    name: `${prefix}symbol_state`,
    help: "1 for the state each symbol is in (starting, quoting, degraded, pulled, paused, halted, stopped, crashed).",
    labelNames: ["symbol", "state"] as const,
    registers,
    ...fromStatus,
  });
  const lastCycle = new Gauge({
    name: `${prefix}last_cycle_timestamp_seconds`,
    help: "When the last cycle of each symbol ended, seconds since the epoch.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });

  return {
    observe(about, event) {
      if (event.type !== "cycle") return;
      cycles.inc({ symbol: about, outcome: event.outcome });
      cycleDuration.observe({ symbol: about }, event.durationMs / 1000);
    },
    status: {
      gauges: [state, lastCycle],
      read(status) {
        for (const s of status.symbols) {
          const symbol = s.symbol;
          for (const each of SYMBOL_STATES) {
            state.set({ symbol, state: each }, each === s.state ? 1 : 0);
          }
          if (s.lastCycleAt !== undefined) lastCycle.set({ symbol }, s.lastCycleAt / 1000);
        }
      },
    },
  };
}
