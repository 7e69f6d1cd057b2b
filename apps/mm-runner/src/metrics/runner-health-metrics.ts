import { Counter, Gauge } from "prom-client";
import { readinessOf } from "../status/runner-status.ts";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

/** The runner as a whole: ready or not, worker restarts, errors outside order steps. */
export function runnerHealthMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus, counter } = context;
  const errors = counter("errors_total", "Errors outside order steps, by stage.", [
    "symbol",
    "stage",
  ]);
  // A counter the supervisor keeps: restated from its number at every scrape.
  const workerRestarts = new Counter({
    name: `${prefix}worker_restarts_total`,
    help: "Times the supervisor restarted each symbol's worker thread since the runner started.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const ready = new Gauge({
    name: `${prefix}ready`,
    help: "1 when every symbol is quoting (what /readyz answers 200 for), else 0.",
    registers,
    ...fromStatus,
  });

  return {
    observe(about, event) {
      if (event.type === "error") errors.inc({ symbol: about, stage: event.stage });
    },
    status: {
      // `ready` is set at every scrape, 0 when the status cannot be read: never reset.
      gauges: [workerRestarts],
      read(status) {
        ready.set(readinessOf(status).ready ? 1 : 0);
        for (const s of status.symbols) {
          workerRestarts.inc({ symbol: s.symbol }, s.workerRestarts);
        }
      },
      unavailable() {
        ready.set(0);
      },
    },
  };
}
