/** The soak's tables (printed) and its summary (markdown, beside the series). */
import { printTable } from "../table.ts";
import type { SoakRun } from "./soak.ts";

const WHAT: Record<string, string> = {
  runnerRss: "runner RSS",
  runnerHeapLive: "runner main heap live (after full GC)",
  runnerHeapUsed: "runner main heap used",
  runnerHeapTotal: "runner main heap total",
  runnerExternal: "runner external",
  workersHeapLive: "workers' heaps live (sum)",
  workersHeapUsed: "workers' heaps used (sum)",
  workersHeapTotal: "workers' heaps total (sum)",
  venueRss: "venue RSS",
  venueHeapLive: "venue heap live (after full GC)",
  venueHeapUsed: "venue heap used",
  venueHeapTotal: "venue heap total",
};

function growthRows(run: SoakRun): Record<string, unknown>[] {
  const post = run.samples.filter((s) => s.atMs >= run.spec.warmupMinutes * 60_000);
  const first = post[0];
  const last = post.at(-1);
  const value = (name: string, s: SoakRun["samples"][number] | undefined): number | undefined => {
    if (!s) return undefined;
    const table: Record<string, number | undefined> = {
      runnerRss: s.runner.rssMiB,
      runnerHeapLive: s.runner.heapLiveMiB,
      runnerHeapUsed: s.runner.heapUsedMiB,
      runnerHeapTotal: s.runner.heapTotalMiB,
      runnerExternal: s.runner.externalMiB,
      workersHeapLive: s.runner.workersHeapLiveMiB,
      workersHeapUsed: s.runner.workersHeapUsedMiB,
      workersHeapTotal: s.runner.workersHeapTotalMiB,
      venueRss: s.venue.rssMiB,
      venueHeapLive: s.venue.heapLiveMiB,
      venueHeapUsed: s.venue.heapUsedMiB,
      venueHeapTotal: s.venue.heapTotalMiB,
    };
    return table[name];
  };
  return Object.entries(run.growthPercentPerHour).map(([name, growth]) => ({
    figure: WHAT[name] ?? name,
    "after warm-up (MiB)": value(name, first)?.toFixed(1) ?? "-",
    "at the end (MiB)": value(name, last)?.toFixed(1) ?? "-",
    "growth %/h": Number.isFinite(growth) ? growth.toFixed(2) : "-",
  }));
}

const targetRows = (run: SoakRun) =>
  run.targets.map((t) => ({
    target: t.target,
    measured: t.measured,
    met: t.met ? "met" : "NOT MET",
  }));

export function printSoak(run: SoakRun): void {
  const { spec } = run;
  printTable(
    `Soak (issue 26): ${spec.symbols} symbols, ${spec.minutes} min, warm-up ${spec.warmupMinutes} min, a sample every ${spec.sampleSeconds} s (${run.samples.length} samples)`,
    growthRows(run),
  );
  printTable("Soak: against issue 26's targets", targetRows(run));
  console.log(
    `  rates after the warm-up: ${run.rates.venueCallsPerSecond} venue calls/s, ${run.rates.requotesPerSecond} requotes/s, ${run.rates.fillsPerMinute} fills/min; runner CPU ${run.rates.runnerCpuPercent} % of a core, venue ${run.rates.venueCpuPercent} %`,
  );
  console.log(
    `  shutdown: exit ${run.shutdown.exitCode} in ${(run.shutdown.ms / 1000).toFixed(1)} s, ${run.shutdown.ordersLeft} orders left`,
  );
  for (const problem of run.problems) console.log(`  problem: ${problem}`);
}

/** A markdown summary: what the README quotes. */
export function soakSummary(run: SoakRun, generatedAt: string): string {
  const table = (rows: Record<string, unknown>[]) => {
    const columns = Object.keys(rows[0] ?? {});
    return [
      `| ${columns.join(" | ")} |`,
      `| ${columns.map(() => "---").join(" | ")} |`,
      ...rows.map((row) => `| ${columns.map((c) => String(row[c])).join(" | ")} |`),
    ].join("\n");
  };
  const { spec } = run;
  return `# Soak (issue 26), ${generatedAt}

${spec.symbols} symbols, ${spec.minutes} min, warm-up ${spec.warmupMinutes} min, a sample every ${spec.sampleSeconds} s (${run.samples.length} samples); every symbol quoting after ${(run.startupMs / 1000).toFixed(1)} s.

${table(growthRows(run))}

${table(targetRows(run))}

After the warm-up: ${run.rates.venueCallsPerSecond} venue calls/s, ${run.rates.requotesPerSecond} requotes/s, ${run.rates.fillsPerMinute} fills/min; runner CPU ${run.rates.runnerCpuPercent} % of a core, venue ${run.rates.venueCpuPercent} %. SIGTERM: exit ${run.shutdown.exitCode} in ${(run.shutdown.ms / 1000).toFixed(1)} s, ${run.shutdown.ordersLeft} orders left.${run.problems.length > 0 ? `\n\nProblems: ${run.problems.join("; ")}` : ""}
`;
}
