import type { LatencyRun } from "./latency.ts";
import type { ScaleRun } from "./scale/scale.ts";
import { round } from "./stats.ts";
import type { TapeRun } from "./tape-run.ts";

export interface TargetResult {
  readonly id: string;
  readonly target: string;
  /** The figure read, in words. */
  readonly measured: string;
  readonly value?: number;
  /** Undefined when the part that measures it did not run. */
  readonly met?: boolean;
}

/** Reads the issue's targets off the figures (printed, never asserted). */
export function evaluateTargets(input: {
  readonly latency: readonly LatencyRun[];
  readonly tape: readonly TapeRun[];
  readonly scale: readonly ScaleRun[];
  readonly seedName: string;
  readonly diffName: string;
  readonly diffExactName: string;
}): TargetResult[] {
  const { latency, tape, scale, seedName, diffName, diffExactName } = input;
  const results: TargetResult[] = [];
  const seedTape = tape.find((run) => run.setup === seedName);
  const diffTape = tape.find((run) => run.setup === diffName);

  if (seedTape && diffTape) {
    const share = diffTape.rpcsPerCycle.total / seedTape.rpcsPerCycle.total;
    results.push({
      id: "diff-rpcs",
      target: "diff ≤ 25% of replace-all's RPCs on the tape",
      measured: `${(100 * share).toFixed(1)}% (${diffTape.rpcsPerCycle.total} vs ${seedTape.rpcsPerCycle.total} per cycle)`,
      value: round(share, 4),
      met: share <= 0.25,
    });
  } else {
    results.push({
      id: "diff-rpcs",
      target: "diff ≤ 25% of replace-all's RPCs on the tape",
      measured: "not run",
    });
  }

  const diffRuns = tape.filter((run) => run.setup !== seedName);
  if (diffRuns.length > 0) {
    const gap = Math.max(...diffRuns.map((run) => run.bookGapMs.total));
    const thinnest = Math.min(
      ...diffRuns.flatMap((run) => [run.minLevelsLive.buy, run.minLevelsLive.sell]),
    );
    results.push({
      id: "book-gap",
      target: "diff: book gap 0 ms (no side below N during a requote)",
      measured: `${diffRuns.map((run) => `${run.setup} ${run.bookGapMs.total} ms`).join(", ")}; fewest live on a side ${thinnest}`,
      value: gap,
      met:
        gap === 0 &&
        diffRuns.every(
          (run) => Math.min(run.minLevelsLive.buy, run.minLevelsLive.sell) >= run.levels,
        ),
    });
  } else {
    results.push({
      id: "book-gap",
      target: "diff: book gap 0 ms (no side below N during a requote)",
      measured: "not run",
    });
  }

  if (tape.length > 0 || scale.length > 0) {
    const selfTrades =
      tape.reduce((n, run) => n + run.selfTrades, 0) +
      scale.reduce((n, run) => n + run.selfTrades, 0);
    results.push({
      id: "self-trades",
      target: "0 self-trades (venue trade log)",
      measured: `${selfTrades} over the tape runs and the scale runs`,
      value: selfTrades,
      met: selfTrades === 0,
    });
  } else {
    results.push({
      id: "self-trades",
      target: "0 self-trades (venue trade log)",
      measured: "not run",
    });
  }

  const at = (setup: string) =>
    latency.find((run) => run.levels === 10 && run.venueLatencyMs === 0 && run.setup === setup);
  const seed10 = at(seedName);
  const diff10 = at(diffName);
  const exact10 = at(diffExactName);
  if (seed10 && diff10) {
    const ratio = seed10.latencyMs.p50 / diff10.latencyMs.p50;
    const exact = exact10 ? seed10.latencyMs.p50 / exact10.latencyMs.p50 : undefined;
    results.push({
      id: "latency-n10",
      target: "N = 10 requote latency ≥ 5x lower than replace-all sequential (p50)",
      measured: `${diffName}: ${ratio.toFixed(1)}x (${seed10.latencyMs.p50} → ${diff10.latencyMs.p50} ms; p99 ${(seed10.latencyMs.p99 / diff10.latencyMs.p99).toFixed(1)}x)${exact === undefined ? "" : `; ${diffExactName}, every level replaced: ${exact.toFixed(1)}x`}`,
      value: round(ratio, 2),
      met: ratio >= 5,
    });
  } else {
    results.push({
      id: "latency-n10",
      target: "N = 10 requote latency ≥ 5x lower than replace-all sequential (p50)",
      measured: "not run",
    });
  }

  const largest = scale.reduce<ScaleRun | undefined>(
    (a, b) => (a && a.symbols >= b.symbols ? a : b),
    undefined,
  );
  if (largest) {
    results.push({
      id: "scale-on-time",
      target: `${largest.symbols} symbols x ${largest.levels} levels at ${largest.intervalMs / 1000} s: every cycle on time (once steady)`,
      measured: `${(100 * largest.onTimeFraction).toFixed(1)}% on time (${largest.onTime} of ${largest.startToStartMs.count}), ${largest.notQuoted} not quoted, CPU ${largest.runnerCpuPercent}% of a core`,
      value: largest.onTimeFraction,
      met:
        largest.onTimeFraction === 1 && largest.notQuoted === 0 && largest.startToStartMs.count > 0,
    });
    const perTick = scale.map((run) => run.requestsPerTick);
    results.push({
      id: "requests-per-tick",
      target:
        "exchange requests per tick independent of the number of symbols (one fetch per source per tick: ≤ 1.1 at every size)",
      measured: `${scale.map((run) => `${run.symbols} symbols: ${run.requestsPerTick}`).join(", ")} (one request per symbol would be ${scale.map((run) => run.symbols).join("/")})`,
      value: Math.max(...perTick),
      met: Math.max(...perTick) <= 1.1,
    });
  } else {
    results.push({
      id: "scale-on-time",
      target: "64 symbols x 10 levels at 1 s: every cycle on time (once steady)",
      measured: "not run",
    });
    results.push({
      id: "requests-per-tick",
      target: "exchange requests per tick independent of the number of symbols",
      measured: "not run",
    });
  }
  return results;
}
