/** The fills part's table and issue 21's targets, read off one run (printed, never asserted). */
import { fixed, printTable, printTargets } from "../table.ts";
import type { TargetResult } from "../targets.ts";
import type { FillsConfigRun, FillsRun } from "./fills.ts";

const CALLS_TARGET = 0.2;
const REACTION_TARGET_MS = 100;

const byMethod = (run: FillsConfigRun) =>
  Object.entries(run.callsPerSymbolPerSecondByMethod)
    .map(([method, rate]) => `${method} ${fixed(rate, 3)}`)
    .join(", ");
const bounds = (run: FillsConfigRun) => {
  const m = run.metricsReaction;
  if (!m) return "-";
  if (m.count === 0) return "none";
  const ms = (s: number | undefined) =>
    s === undefined ? "?" : Number.isFinite(s) ? `≤ ${fixed(1000 * s, 0)}` : "> max";
  return `${ms(m.p50Seconds)} / ${ms(m.p99Seconds)} (${m.count})`;
};

export function fillsRows(run: FillsRun): Record<string, unknown>[] {
  return run.runs.map((r) => ({
    "fill feed": r.mode,
    symbols: r.symbols,
    "venue calls/symbol/s": fixed(r.callsPerSymbolPerSecond, 3),
    "by method": byMethod(r),
    "CPU s/s": fixed(r.cpuSecondsPerSecond, 3),
    "fill→refill p50 / p99 ms (takes)": `${fixed(r.reactionMs.p50, 0)} / ${fixed(r.reactionMs.p99, 0)} (${r.reactionMs.count})`,
    missed: r.reactionsMissed,
    "mm_fill_reaction p50 / p99 ms": bounds(r),
    "left after SIGTERM": r.ordersLeft,
  }));
}

/** Issue 21's bench targets: the call rate with the stream, and a reaction within 100 ms. */
export function fillsTargets(run: FillsRun): TargetResult[] {
  const results: TargetResult[] = [];
  const kafka = run.runs.filter((r) => r.mode === "kafka");
  for (const r of kafka) {
    const poll = run.runs.find((p) => p.mode === "poll" && p.symbols === r.symbols);
    results.push({
      id: `fills-calls-${r.symbols}`,
      target: `venue calls per symbol per second ≤ ${CALLS_TARGET} with the trade stream (${r.symbols} symbols, steady state)`,
      measured: `${fixed(r.callsPerSymbolPerSecond, 3)} (${byMethod(r)}); poll ${poll ? fixed(poll.callsPerSymbolPerSecond, 3) : "-"}`,
      value: r.callsPerSymbolPerSecond,
      met: r.callsPerSymbolPerSecond <= CALLS_TARGET,
    });
  }
  for (const r of kafka) {
    if (r.reactionMs.count === 0) continue;
    results.push({
      id: `fills-reaction-${r.symbols}`,
      target: `fill → refill on the venue p99 ≤ ${REACTION_TARGET_MS} ms with the trade stream (${r.symbols} symbols)`,
      measured: `p50 ${fixed(r.reactionMs.p50, 0)} ms, p99 ${fixed(r.reactionMs.p99, 0)} ms (${r.reactionMs.count} takes)`,
      value: r.reactionMs.p99,
      met: r.reactionMs.p99 <= REACTION_TARGET_MS,
    });
  }
  return results;
}

export function printFills(run: FillsRun): void {
  if (run.skipped) {
    console.log(
      `\n7. FILLS BENCHMARK NOT RUN: the real Matchingo cannot run here (${run.skipped})`,
    );
    return;
  }
  const { spec } = run;
  printTable(
    `7. Fills (issue 21): the built runner with FILL_FEED=kafka beside FILL_FEED=poll on the real Matchingo with Kafka (N = ${spec.levels}, UPDATE_INTERVAL_SECONDS=${spec.intervalSeconds}, price still; calls and CPU over ${spec.windowMs / 1000} s after ${spec.warmupMs / 1000} s of warm-up, then a take every ${spec.takeEveryMs} ms for ${spec.takerMs / 1000} s; times from the venue's request log)`,
    fillsRows(run),
  );
  printTargets("Targets of issue 21 (never asserted)", fillsTargets(run));
}
