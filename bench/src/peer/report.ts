/**
 * The peer part's table and the targets of issues 20 and 23, read off one run (printed,
 * never asserted).
 */
import { fixed, printTable, printTargets } from "../table.ts";
import type { TargetResult } from "../targets.ts";
import type { PeerConfigRun, PeerRun } from "./peer.ts";

const ratio = (ours: number | undefined, go: number | undefined): number | undefined =>
  ours === undefined || go === undefined || go === 0 ? undefined : ours / go;
const times = (value: number | undefined) => (value === undefined ? "-" : `${fixed(value, 2)}x`);
const pair = (summary: { p50: number; p99: number } | undefined) =>
  summary ? `${fixed(summary.p50, 1)} / ${fixed(summary.p99, 1)}` : "-";

function goOf(run: PeerRun, symbols: number): PeerConfigRun | undefined {
  return run.runs.find((r) => r.bot === "go" && r.symbols === symbols);
}

/** One row per configuration, ratios against the Go bot at the same number of symbols. */
export function peerRows(run: PeerRun): Record<string, unknown>[] {
  return run.runs.map((r) => {
    const go = goOf(run, r.symbols);
    const own = r.bot === "go";
    return {
      bot: r.bot,
      symbols: r.symbols,
      processes: r.processes,
      "fetch→quote p50/p99 ms": pair(r.fetchToQuoteMs),
      "p50 vs go": own ? "" : times(ratio(r.fetchToQuoteMs?.p50, go?.fetchToQuoteMs?.p50)),
      "tick→innermost p50/p99": pair(r.tickToInnermostMs),
      "tick→ladder p50/p99": pair(r.tickToQuoteMs),
      "book gap": `${fixed(100 * r.bookGap, 2)}%`,
      "calls/cycle": fixed(r.callsPerCycle, 1),
      "calls vs go": own ? "" : times(ratio(r.callsPerCycle, go?.callsPerCycle)),
      "exchange req/cycle": fixed(r.exchangeRequestsPerCycle ?? Number.NaN, 2),
      "CPU s": fixed(r.cpuSeconds, 2),
      "CPU vs go": own ? "" : times(ratio(r.cpuSeconds, go?.cpuSeconds)),
      "peak RSS MiB": fixed(r.peakRssMiB, 0),
      "RSS vs go": own ? "" : times(ratio(r.peakRssMiB, go?.peakRssMiB)),
      "left after SIGTERM": r.ordersLeft,
    };
  });
}

/**
 * What both target lists start from: the run's sizes, a lookup of a bot's run, and `target`,
 * which records one target as met when its value is at most the limit ("not run" without one).
 */
function targetBook(run: PeerRun) {
  const find = (bot: string, symbols: number) =>
    run.runs.find((r) => r.bot === bot && r.symbols === symbols);
  const sizes = [...new Set(run.runs.map((r) => r.symbols))].sort((a, b) => a - b);
  const results: TargetResult[] = [];
  const target = (
    id: string,
    text: string,
    value: number | undefined,
    limit: number,
    measured: (value: number) => string,
  ) =>
    results.push({
      id,
      target: text,
      measured: value === undefined ? "not run" : measured(value),
      ...(value === undefined ? {} : { value, met: value <= limit }),
    });
  return { find, small: sizes[0], large: sizes[sizes.length - 1], results, target };
}

/** Issue 20's targets against the Go bot of the same run. */
export function peerTargets(run: PeerRun): TargetResult[] {
  const { find, small, large, results, target } = targetBook(run);

  const pollSmall = small === undefined ? undefined : find("ours poll", small);
  const goSmall = small === undefined ? undefined : goOf(run, small);
  target(
    "peer-fetch-to-quote",
    `fetch-to-quote p50 ≤ 0.5x the Go bot's (poll, ${small ?? "?"} symbol)`,
    ratio(pollSmall?.fetchToQuoteMs?.p50, goSmall?.fetchToQuoteMs?.p50),
    0.5,
    (v) =>
      `${fixed(v, 2)}x (${fixed(pollSmall!.fetchToQuoteMs!.p50, 1)} vs ${fixed(goSmall!.fetchToQuoteMs!.p50, 1)} ms)`,
  );
  const goLarge = large === undefined ? undefined : goOf(run, large);
  for (const bot of ["ours poll", "ours stream"] as const) {
    const ours = large === undefined ? undefined : find(bot, large);
    target(
      `peer-cpu-${bot.split(" ")[1]}`,
      `CPU at ${large ?? "?"} symbols ≤ 1.0x the Go bot's ${large ?? "?"} processes (${bot})`,
      ratio(ours?.cpuSeconds, goLarge?.cpuSeconds),
      1.0,
      (v) =>
        `${fixed(v, 2)}x (${fixed(ours!.cpuSeconds, 1)} vs ${fixed(goLarge!.cpuSeconds, 1)} s)`,
    );
    target(
      `peer-rss-${bot.split(" ")[1]}`,
      `peak RSS at ${large ?? "?"} symbols ≤ 0.5x the Go bot's ${large ?? "?"} processes (${bot})`,
      ratio(ours?.peakRssMiB, goLarge?.peakRssMiB),
      0.5,
      (v) =>
        `${fixed(v, 2)}x (${fixed(ours!.peakRssMiB, 0)} vs ${fixed(goLarge!.peakRssMiB, 0)} MiB)`,
    );
  }
  const ours = run.runs.filter((r) => r.bot !== "go");
  target(
    "peer-book-gap",
    "book gap 0 (ours, every configuration)",
    ours.length === 0 ? undefined : Math.max(...ours.map((r) => r.bookGap)),
    0,
    (v) => `worst ${fixed(100 * v, 3)}% of samples`,
  );
  target(
    "peer-calls",
    `gRPC calls per cycle ≤ 0.5x the Go bot's (poll, ${small ?? "?"} symbol)`,
    ratio(pollSmall?.callsPerCycle, goSmall?.callsPerCycle),
    0.5,
    (v) =>
      `${fixed(v, 2)}x (${fixed(pollSmall!.callsPerCycle, 1)} vs ${fixed(goSmall!.callsPerCycle, 1)})`,
  );
  return results;
}

/**
 * Issue 23's targets (the thread boundary carries plans): fetch-to-quote against the Go bot
 * of the same run, tick-to-quote in stream mode at one symbol in absolute ms (the innermost
 * bid and ask reported apart), CPU at the largest size against its processes, and memory
 * per symbol where ours ran 64 symbols or more (else the scale part's figure stands).
 */
export function peerTargets23(run: PeerRun): TargetResult[] {
  const { find, small, large, results, target } = targetBook(run);

  const poll = small === undefined ? undefined : find("ours poll", small);
  const go = small === undefined ? undefined : goOf(run, small);
  for (const [at, limit] of [
    ["p50", 0.5],
    ["p99", 1],
  ] as const) {
    target(
      `peer23-fetch-to-quote-${at}`,
      `fetch-to-quote ${at} ≤ ${limit}x the Go bot's (poll, ${small ?? "?"} symbol)`,
      ratio(poll?.fetchToQuoteMs?.[at], go?.fetchToQuoteMs?.[at]),
      limit,
      (v) =>
        `${fixed(v, 2)}x (${fixed(poll!.fetchToQuoteMs![at], 1)} vs ${fixed(go!.fetchToQuoteMs![at], 1)} ms)`,
    );
  }
  const stream = find("ours stream", 1);
  for (const [at, limit] of [
    ["p50", 20],
    ["p99", 60],
  ] as const) {
    target(
      `peer23-tick-to-quote-${at}`,
      `tick-to-quote ${at} ≤ ${limit} ms (stream, 1 symbol, whole ladder live)`,
      stream?.tickToQuoteMs?.[at],
      limit,
      (v) =>
        `${fixed(v, 1)} ms (innermost bid and ask: ${fixed(stream!.tickToInnermostMs?.[at] ?? Number.NaN, 1)} ms)`,
    );
  }
  target(
    "peer23-innermost-first",
    "the innermost bid and ask live before the whole ladder (stream, 1 symbol, p50)",
    stream?.tickToInnermostMs && stream.tickToQuoteMs
      ? stream.tickToInnermostMs.p50 - stream.tickToQuoteMs.p50
      : undefined,
    0,
    (v) =>
      `innermost ${fixed(stream!.tickToInnermostMs!.p50, 1)} ms, ladder ${fixed(stream!.tickToQuoteMs!.p50, 1)} ms (${fixed(-v, 1)} ms earlier)`,
  );
  const goLarge = large === undefined ? undefined : goOf(run, large);
  for (const bot of ["ours poll", "ours stream"] as const) {
    const ours = large === undefined ? undefined : find(bot, large);
    target(
      `peer23-cpu-${bot.split(" ")[1]}`,
      `CPU at ${large ?? "?"} symbols ≤ 1.0x the Go bot's ${large ?? "?"} processes (${bot})`,
      ratio(ours?.cpuSeconds, goLarge?.cpuSeconds),
      1.0,
      (v) =>
        `${fixed(v, 2)}x (${fixed(ours!.cpuSeconds, 1)} vs ${fixed(goLarge!.cpuSeconds, 1)} s)`,
    );
  }
  const big = run.runs.filter((r) => r.bot !== "go" && r.symbols >= 64);
  target(
    "peer23-memory-per-symbol",
    "peak RSS per symbol at 64 symbols ≤ 10 MiB (ours)",
    big.length === 0 ? undefined : Math.max(...big.map((r) => r.peakRssMiB / r.symbols)),
    10,
    (v) => `${fixed(v, 2)} MiB per symbol`,
  );
  return results;
}

export function printPeer(run: PeerRun): void {
  if (run.skipped) {
    console.log(`\n5. PEER BENCHMARK NOT RUN: the real Matchingo cannot run here (${run.skipped})`);
    return;
  }
  printTable(
    `5. Peer: the seed's Go bot and our runner on the real Matchingo with Kafka (N = ${run.spec.levels}, spread 0.1%, step 0.05%, size 0.01, ${run.spec.intervalSeconds} s; ${run.spec.windowMs / 1000} s window each; times from the venue's request log)`,
    peerRows(run),
  );
  printTargets("Targets of issue 20 (against the Go bot in the same run)", peerTargets(run));
  printTargets(
    "Targets of issue 23 (the thread boundary carries plans; peak RSS per symbol at 64 is the scale part's where the peer part ran no 64)",
    peerTargets23(run),
  );
}
