/**
 * `pnpm --filter @matchingo-mm/bench bench`: the market maker against the embedded venue
 * (its own thread, gRPC over 127.0.0.1), in three parts:
 *
 *   1. requote latency, price set → whole new ladder live, replace-all (the seed, one RPC at
 *      a time) against diff (the loop's bounded concurrency), N = 5, 10, 25;
 *   2. a 1,000-tick random-walk tape, N = 10: RPCs per cycle, book gap, self-trades;
 *   3. the real runner (built, a child process) with 8, 32, 64 and 256 symbols at 1 s, 10 levels:
 *      cycles on time, CPU, memory, exchange requests per tick;
 *   4. streaming (issue 12): tick-to-quote latency of the runner on a local stream against
 *      REST polling at 1 s and 10 s, 8 symbols, N = 10; venue RPCs under 100 ticks a second.
 *      Alone: `BENCH_PARTS=streaming pnpm --filter @matchingo-mm/bench bench`.
 *   5. strategies (issue 25): one price tape and one seeded taker flow through the layered
 *      ladder and Avellaneda–Stoikov, in process: fills, inventory, spread, P&L.
 *      Alone: `BENCH_PARTS=strategies pnpm --filter @matchingo-mm/bench bench` (seconds).
 *   6. peer (issue 20): the seed's Go market maker beside our runner (poll and stream) on the
 *      real Matchingo with Kafka, at 1 and 16 symbols: fetch-to-quote, book gap, calls per
 *      cycle, CPU, RSS. Alone: `BENCH_PARTS=peer pnpm --filter @matchingo-mm/bench bench`.
 *   7. fills (issue 21): the runner with FILL_FEED=kafka beside FILL_FEED=poll on the real
 *      Matchingo with Kafka, at 16 and 64 symbols: venue calls per symbol per second, CPU,
 *      fill-to-reaction. Alone: `BENCH_PARTS=fills pnpm --filter @matchingo-mm/bench bench`.
 *   8. soak (issue 26), only when asked: `BENCH_PARTS=soak` (30 minutes by default): the
 *      runner left running at 32 symbols against the venue's CLI in another process; memory,
 *      handles, descriptors and event-loop delay over time, growth per hour after a warm-up.
 *
 * Prints tables, writes every figure to `bench/results/latest.json` (see README.md).
 * Figures are printed, never asserted; the exit code is 1 only for a correctness failure
 * (a self-trade, a ladder not live after a cycle, orders left behind).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { avellanedaStoikov, layered } from "@matchingo-mm/core";
import { SEED_LADDER } from "@matchingo-mm/testkit";
import { type FillsRun, runFills } from "./fills/fills.ts";
import { fillsTargets, printFills } from "./fills/report.ts";
import { type LatencyRun, measureLatency } from "./latency.ts";
import { machineInfo } from "./machine.ts";
import { type PeerRun, runPeer } from "./peer/peer.ts";
import { peerTargets, peerTargets23, printPeer } from "./peer/report.ts";
import { diffSetup, type QuoterSetup, SEED } from "./quoter.ts";
import { runScale, type ScaleRun, type ScaleSpec } from "./scale/scale.ts";
import { printSoak, soakSummary } from "./soak/report.ts";
import { runSoak, type SoakRun } from "./soak/soak.ts";
import { round } from "./stats.ts";
import { runStrategy, type StrategyRun, takerFlow } from "./strategies.ts";
import { runStreaming, type StreamingRun } from "./streaming.ts";
import { fixed, printTable } from "./table.ts";
import { describeTape, randomWalk } from "./tape.ts";
import { runTape, type TapeRun } from "./tape-run.ts";
import { evaluateTargets } from "./targets.ts";
import { startRemoteVenue } from "./venue-thread/remote-venue.ts";

const env = process.env;
const PARTS = new Set(
  (env.BENCH_PARTS ?? "latency,tape,scale,streaming,strategies,peer,fills")
    .split(",")
    .map((p) => p.trim()),
);
const SAMPLES = Number(env.BENCH_SAMPLES ?? 150);
const WARMUP_CYCLES = 10;
const SCALE_SIZES = (env.BENCH_SCALE_SIZES ?? "8,32,64,256").split(",").map(Number);
const WINDOW_MS = Number(env.BENCH_WINDOW_MS ?? 12_000);
const FILLS_KNOBS = [
  "BENCH_FILLS_SIZES",
  "BENCH_FILLS_SECONDS",
  "BENCH_FILLS_WARMUP_SECONDS",
  "BENCH_FILLS_TAKER_SECONDS",
  "BENCH_FILLS_TAKE_EVERY_MS",
];
const customized = [
  "BENCH_PARTS",
  "BENCH_SAMPLES",
  "BENCH_SCALE_SIZES",
  "BENCH_WINDOW_MS",
  "BENCH_TAPE_TICKS",
  "BENCH_STREAM_SYMBOLS",
  "BENCH_STRATEGY_TICKS",
  "BENCH_PEER_SECONDS",
  "BENCH_PEER_SIZES",
  ...FILLS_KNOBS,
  "SOAK_MINUTES",
  "SOAK_SYMBOLS",
].some((name) => env[name] !== undefined);
const OUT =
  env.BENCH_OUT ??
  fileURLToPath(
    new URL(customized ? "../results/latest.tmp.json" : "../results/latest.json", import.meta.url),
  );

const started = Date.now();
const machine = machineInfo();
console.log(
  `matchingo-mm bench: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.loadAverageAtStart}, commit ${machine.gitCommit.slice(0, 10)}`,
);
const failures: string[] = [];

// ---------------------------------------------------------------- 1. requote latency
const LATENCY_LEVELS = [5, 10, 25];
const DIFF = diffSetup("0.05");
const DIFF_EXACT = diffSetup("0");
const LATENCY_SETUPS: readonly QuoterSetup[] = [SEED, DIFF, DIFF_EXACT];
const latencyTape = {
  seed: 7,
  ticks: WARMUP_CYCLES + SAMPLES,
  start: "50000.00",
  sdPercent: 0.02,
  digits: 2,
};
let latency: object | undefined;
const latencyRuns: LatencyRun[] = [];
if (PARTS.has("latency")) {
  const prices = randomWalk(latencyTape);
  const venue = await startRemoteVenue();
  try {
    const plan: { levels: number; venueLatencyMs: number; samples: number }[] = [
      ...LATENCY_LEVELS.map((levels) => ({ levels, venueLatencyMs: 0, samples: SAMPLES })),
      // A venue across a network: every rpc waits 1 ms, where concurrency pays off.
      { levels: 10, venueLatencyMs: 1, samples: Math.ceil(SAMPLES / 2) },
    ];
    for (const { levels, venueLatencyMs, samples } of plan) {
      await venue.setLatency(venueLatencyMs);
      for (const setup of LATENCY_SETUPS) {
        const run = await measureLatency({
          venue,
          setup,
          levels,
          prices: prices.slice(0, WARMUP_CYCLES + samples),
          warmup: WARMUP_CYCLES,
          venueLatencyMs,
          bookTag: `L${venueLatencyMs}`,
        });
        latencyRuns.push(run);
        failures.push(...run.problems.map((p) => `latency ${setup.name} N=${levels}: ${p}`));
      }
    }
  } finally {
    await venue.close();
  }
  const ratios = latencyRuns
    .filter((run) => run.setup !== SEED.name)
    .map((run) => {
      const base = latencyRuns.find(
        (b) =>
          b.setup === SEED.name &&
          b.levels === run.levels &&
          b.venueLatencyMs === run.venueLatencyMs,
      )!;
      return {
        levels: run.levels,
        venueLatencyMs: run.venueLatencyMs,
        setup: run.setup,
        p50: round(base.latencyMs.p50 / run.latencyMs.p50, 2),
        p99: round(base.latencyMs.p99 / run.latencyMs.p99, 2),
      };
    });
  latency = {
    workload: {
      description:
        "one market maker per setup on its own book; each cycle sets the next price of a seeded random walk and runs one cycle at once (no interval); the time is from the price being set to the cycle's end; after every timed cycle the venue's live orders are checked against the new ladder (every level live, nothing else of ours)",
      tape: { ...latencyTape, ...describeTape(prices, latencyTape.digits) },
      warmupCycles: WARMUP_CYCLES,
      ladder: {
        baseSpreadPercent: "0.1",
        priceStepPercent: "0.05",
        orderSize: "0.01",
        priceTick: "0.01",
      },
      setups: Object.fromEntries(LATENCY_SETUPS.map((s) => [s.name, s.description])),
    },
    runs: latencyRuns,
    ratios,
  };
  console.log(
    "\nSetups (each market maker on its own book and channel; the venue in its own thread, gRPC on 127.0.0.1):",
  );
  for (const setup of LATENCY_SETUPS) console.log(`  ${setup.name}: ${setup.description}`);
  printTable(
    `1. Requote latency, price set → whole ladder live (ms; ${SAMPLES} cycles each after ${WARMUP_CYCLES} warm-up; walk sd 0.02%/tick ≈ ${describeTape(prices, 2).medianMoveTicks} ticks of 0.01 median)`,
    latencyRuns.map((run) => {
      const ratio = ratios.find(
        (r) =>
          r.setup === run.setup &&
          r.levels === run.levels &&
          r.venueLatencyMs === run.venueLatencyMs,
      );
      return {
        N: run.levels,
        "venue +ms/rpc": run.venueLatencyMs,
        setup: run.setup,
        p50: fixed(run.latencyMs.p50),
        p99: fixed(run.latencyMs.p99),
        mean: fixed(run.latencyMs.mean),
        "rpcs/cycle": fixed(run.rpcsPerCycle, 1),
        "requoting cycles": run.requotedCycles,
        "their p50": fixed(run.requotedLatencyMs.p50),
        "replace-all/this p50": ratio ? `${fixed(ratio.p50, 1)}x` : "1x",
        "p99 ratio": ratio ? `${fixed(ratio.p99, 1)}x` : "1x",
        "ladder checks": `${run.ladderChecks}${run.problems.length > 0 ? " FAILED" : " ok"}`,
      };
    }),
  );
}

// ---------------------------------------------------------------- 2. the tape
const tapeSpec = {
  seed: 42,
  ticks: Number(env.BENCH_TAPE_TICKS ?? 1_000),
  start: "50000.00",
  sdPercent: 0.02,
  digits: 2,
};
let tape: object | undefined;
const tapeRuns: TapeRun[] = [];
if (PARTS.has("tape")) {
  const prices = randomWalk(tapeSpec);
  const venue = await startRemoteVenue();
  try {
    for (const setup of [SEED, DIFF, DIFF_EXACT]) {
      const run = await runTape({ venue, setup, levels: 10, prices });
      tapeRuns.push(run);
      failures.push(...run.problems.map((p) => `tape ${setup.name}: ${p}`));
    }
  } finally {
    await venue.close();
  }
  const base = tapeRuns.find((run) => run.setup === SEED.name)!;
  tape = {
    workload: {
      description:
        "one cycle per tick, back to back, N = 10, base spread 0.1%, step 0.05%, size 0.01; the first cycle fills the empty book and is not counted; book gap from the venue's event stream (each order created/cancelled/traded, timed in the venue's thread as it happens)",
      tape: { ...tapeSpec, ...describeTape(prices, tapeSpec.digits) },
      setups: Object.fromEntries([SEED, DIFF, DIFF_EXACT].map((s) => [s.name, s.description])),
    },
    runs: tapeRuns,
    shareOfReplaceAllRpcs: Object.fromEntries(
      tapeRuns.map((run) => [
        run.setup,
        round(run.rpcsPerCycle.total / base.rpcsPerCycle.total, 4),
      ]),
    ),
  };
  printTable(
    `2. ${tapeSpec.ticks}-tick random walk (sd 0.02%/tick, seed ${tapeSpec.seed}), N = 10: per requote cycle (${base.measuredCycles} cycles)`,
    tapeRuns.map((run) => ({
      setup: run.setup,
      CreateOrder: fixed(run.rpcsPerCycle.placeOrder),
      CancelOrder: fixed(run.rpcsPerCycle.cancelOrder),
      GetOrder: fixed(run.rpcsPerCycle.getOrder),
      GetOrderBook: fixed(run.rpcsPerCycle.getBook),
      "RPCs total": fixed(run.rpcsPerCycle.total),
      "vs replace-all": `${fixed((100 * run.rpcsPerCycle.total) / base.rpcsPerCycle.total, 1)}%`,
      kept: fixed(run.keptPerCycle, 1),
      "gap ms mean": fixed(run.bookGapMs.mean, 3),
      "gap ms p99": fixed(run.bookGapMs.p99, 3),
      "cycles w/ gap": run.cyclesWithGap,
      "min live b/s": `${run.minLevelsLive.buy}/${run.minLevelsLive.sell}`,
      "self-trades": run.selfTrades,
      "cycle ms p50": fixed(run.cycleMs.p50),
    })),
  );
}

// ---------------------------------------------------------------- 3. scale
const scaleSpec = (symbols: number): ScaleSpec => ({
  symbols,
  levels: 10,
  intervalMs: 1_000,
  refreshTolerancePercent: "0.05",
  warmupMs: 2_000,
  windowMs: WINDOW_MS,
  maxWarmupMs: 150_000,
  // Bitcoin-like over one second: the 0.02% per 10 s, scaled by sqrt(1/10).
  priceSdPercent: round(0.02 / Math.sqrt(10), 5),
});
let scale: object | undefined;
const scaleRuns: ScaleRun[] = [];
if (PARTS.has("scale")) {
  for (const symbols of SCALE_SIZES) {
    const venue = await startRemoteVenue();
    try {
      const run = await runScale(venue, scaleSpec(symbols));
      scaleRuns.push(run);
      failures.push(...run.problems.map((p) => `scale ${symbols} symbols: ${p}`));
    } catch (error) {
      failures.push(`scale ${symbols} symbols: ${error instanceof Error ? error.message : error}`);
    } finally {
      await venue.close();
    }
  }
  const first = scaleRuns[0];
  const last = scaleRuns[scaleRuns.length - 1];
  const marginal =
    first && last && last.symbols > first.symbols
      ? round((last.runnerRssMiB - first.runnerRssMiB) / (last.symbols - first.symbols), 2)
      : undefined;
  scale = {
    workload: {
      description:
        "the real runner as a child process (node --import tsx apps/mm-runner/src/main.ts), one worker thread per symbol, against the embedded venue (a thread of the bench process) and a local Binance-like HTTP server (PRICE_SOURCES=binance) whose prices walk every second; measured over a window once the cycles keep pace, then SIGTERM",
      env: {
        REQUOTE_MODE: "diff",
        REFRESH_TOLERANCE_PERCENT: scaleSpec(0).refreshTolerancePercent,
        NUM_LEVELS: String(scaleSpec(0).levels),
        UPDATE_INTERVAL_SECONDS: String(scaleSpec(0).intervalMs / 1000),
        PRICE_SOURCES: "binance",
        // One source: its first price is taken as it comes (issue 22 makes a lone source hold it
        // for FIRST_PRICE_CONFIRMATIONS rounds), so the start figures stay comparable.
        FIRST_PRICE_CONFIRMATIONS: "1",
        METRICS_ADDR: "127.0.0.1:0",
        LOG_LEVEL: "info",
      },
      priceSdPercentPerSecond: scaleSpec(0).priceSdPercent,
      windowMs: WINDOW_MS,
      onTime:
        "a cycle is on time when it starts at most 10% of the interval after the previous one (start = log time of the cycle line − its duration)",
    },
    runs: scaleRuns,
    marginalRssPerSymbolMiB: marginal,
  };
  printTable(
    `3. Scale: the runner at 1 s, 10 levels, diff@0.05 (window ${WINDOW_MS / 1000} s once steady)`,
    scaleRuns.map((run) => ({
      symbols: run.symbols,
      "all quoting s": fixed(run.startupMs / 1000, 1),
      "steady s": fixed(run.steadyAfterMs / 1000, 1),
      "on time before steady": `${fixed(100 * run.warmup.onTimeFraction, 0)}%`,
      cycles: run.cycles,
      "on time": `${fixed(100 * run.onTimeFraction, 1)}%`,
      "start→start p99 ms": fixed(run.startToStartMs.p99, 0),
      "cycle ms p50/p99": `${fixed(run.cycleMs.p50, 0)}/${fixed(run.cycleMs.p99, 0)}`,
      "CPU % of a core": fixed(run.runnerCpuPercent, 1),
      "RSS MiB": fixed(run.runnerRssMiB, 0),
      "RSS/symbol MiB": fixed(run.rssPerSymbolMiB, 1),
      "requests/tick": fixed(run.requestsPerTick, 2),
      "symbols/request": fixed(run.symbolsPerRequest, 1),
      "ms between requests p50": fixed(run.requestGapMs.p50, 0),
      "left after SIGTERM": run.shutdown.ordersLeft,
      exit: run.shutdown.exitCode,
    })),
  );
  if (marginal !== undefined)
    console.log(`  marginal RSS per added symbol: ${fixed(marginal, 1)} MiB`);
  for (const run of scaleRuns)
    for (const note of run.notes) console.log(`  note (${run.symbols} symbols): ${note}`);
}

// ---------------------------------------------------------------- 4. streaming
let streaming: StreamingRun | undefined;
if (PARTS.has("streaming")) {
  streaming = await runStreaming({
    symbols: Number(env.BENCH_STREAM_SYMBOLS ?? 8),
    levels: 10,
    steps: { stream: 40, poll1s: 20, poll10s: 5 },
    minRequoteIntervalMs: 100,
    burstMs: 5_000,
  });
  failures.push(...streaming.problems.map((p) => `streaming: ${p}`));
  const stream = streaming.modes.find((m) => m.mode === "stream");
  printTable(
    `4. Tick-to-quote: price step on the local exchange → whole new ladder live on the venue (ms; ${streaming.spec.symbols} symbols, N = 10, every step moves all of them; the built runner, PRICE_SOURCES=binance)`,
    streaming.modes.map((m) => ({
      feed: m.mode,
      steps: m.steps,
      samples: m.latencyMs.count,
      p50: fixed(m.latencyMs.p50),
      p99: fixed(m.latencyMs.p99),
      max: fixed(m.latencyMs.max),
      "vs stream p50": stream ? `${fixed(m.latencyMs.p50 / stream.latencyMs.p50, 0)}x` : "-",
      missed: m.missed,
    })),
  );
  for (const m of streaming.modes) {
    if (!m.breakdown) continue;
    const { deliveryMs: d, requoteMs: r } = m.breakdown;
    console.log(
      `  ${m.mode}, from the runner's tick-requote lines (${r.count}): step sent → requote started p50 ${fixed(d.p50)} / p99 ${fixed(d.p99)} ms (kit → main thread → worker → trigger); the requote itself (2N creates, 2N cancels) p50 ${fixed(r.p50)} / p99 ${fixed(r.p99)} ms`,
    );
  }
  const burst = streaming.burst;
  if (burst) {
    printTable(
      `4b. ${burst.ticksPerSecond} ticks/s on every symbol's stream for ${burst.seconds} s (MIN_REQUOTE_INTERVAL_MS=${burst.minRequoteIntervalMs})`,
      [
        {
          "venue RPCs/s per symbol": fixed(burst.rpcsPerSecondPerSymbol, 1),
          "allowed RPCs/s (4N per requote)": fixed(burst.allowedRpcsPerSecond, 0),
          "requotes/s per symbol": fixed(burst.requotesPerSecondPerSymbol, 2),
          "allowed requotes/s": fixed(burst.allowedRequotesPerSecond, 0),
          within: burst.rpcsPerSecondPerSymbol <= burst.allowedRpcsPerSecond ? "yes" : "NO",
        },
      ],
    );
  }
  if (stream) {
    const poll10 = streaming.modes.find((m) => m.mode === "poll 10 s");
    printTable("Targets of issue 12", [
      {
        target: "stream p50 ≤ 25 ms",
        measured: `${fixed(stream.latencyMs.p50)} ms`,
        met: stream.latencyMs.p50 <= 25 ? "yes" : "NO",
      },
      {
        target: "stream p99 ≤ 100 ms",
        measured: `${fixed(stream.latencyMs.p99)} ms`,
        met: stream.latencyMs.p99 <= 100 ? "yes" : "NO",
      },
      ...(poll10
        ? [
            {
              target: "≥ 100x better than poll at 10 s (p50)",
              measured: `${fixed(poll10.latencyMs.p50 / stream.latencyMs.p50, 0)}x`,
              met: poll10.latencyMs.p50 / stream.latencyMs.p50 >= 100 ? "yes" : "NO",
            },
          ]
        : []),
    ]);
  }
}

// ---------------------------------------------------------------- 5. strategies (issue 25)
const strategyTape = {
  seed: 25,
  ticks: Number(env.BENCH_STRATEGY_TICKS ?? 3_600),
  start: "50000.00",
  sdPercent: 0.02,
  digits: 2,
};
const takerSpec = { seed: 2025, arrivalChance: 0.3, reachMeanPercent: 0.08, sizeMean: 0.02 };
const strategyLadder = { ...SEED_LADDER, priceTick: "0.01", qtyStep: "0.001" };
const STRATEGY_SETUPS = [
  { name: "layered", strategy: layered, ladder: strategyLadder },
  {
    name: "layered + skew",
    strategy: layered,
    ladder: strategyLadder,
    risk: { maxPosition: "0.2", inventorySkewPercent: "0.1" },
  },
  {
    name: "avellaneda-stoikov",
    strategy: avellanedaStoikov,
    ladder: strategyLadder,
    model: { asGamma: "0.1", asKappa: "0.05", volatilityWindowMs: 60_000 },
  },
];
let strategies: object | undefined;
if (PARTS.has("strategies")) {
  const prices = randomWalk(strategyTape);
  const flow = takerFlow(takerSpec, prices.length, 0.001);
  const runs: StrategyRun[] = STRATEGY_SETUPS.map((setup) =>
    runStrategy(setup, prices, flow, 1_000),
  );
  for (const run of runs) {
    if (run.refused > 0) failures.push(`strategies ${run.setup}: ${run.refused} ladders refused`);
  }
  strategies = {
    workload: {
      description:
        "in process, core only: one tick a second; each tick the strategy's ladder (checked as the market maker checks it, trimmed to MAX_POSITION where set) replaces the last, then that tick's takers trade against it best price first; the same takers for every strategy; P&L = cash + position × last price, no fees",
      tape: { ...strategyTape, ...describeTape(prices, strategyTape.digits) },
      takers: takerSpec,
      ladder: strategyLadder,
      setups: STRATEGY_SETUPS.map(({ name, risk, model }) => ({ name, risk, model })),
    },
    runs,
  };
  printTable(
    `5. Strategies on one tape (${prices.length} ticks, 1/s, ${prices[0]} → ${prices[prices.length - 1]}) and one taker flow (seed ${takerSpec.seed})`,
    runs.map((run) => ({
      strategy: run.setup,
      fills: run.fills,
      "bought/sold": `${run.boughtBase} / ${run.soldBase}`,
      "final inventory": run.finalInventory,
      "max |inventory|": run.maxAbsInventory,
      "avg spread": `${fixed(run.averageSpread)} (${fixed(run.averageSpreadBps, 1)} bps)`,
      "P&L at last price": fixed(Number(run.pnl)),
    })),
  );
}

// ---------------------------------------------------------------- 6. peer (issue 20)
let peer: PeerRun | undefined;
if (PARTS.has("peer")) {
  peer = await runPeer(
    {
      sizes: (env.BENCH_PEER_SIZES ?? "1,16").split(",").map(Number),
      windowMs: 1000 * Number(env.BENCH_PEER_SECONDS ?? 60),
      levels: 10,
      intervalSeconds: 2,
    },
    (line) => console.log(`  ${line}`),
  );
  failures.push(...peer.problems.map((p) => `peer: ${p}`));
  printPeer(peer);
  if (!peer.skipped) {
    // The peer figures on their own too, beside the README's table (latest.json holds every part).
    const peerOut = fileURLToPath(
      new URL(
        env.BENCH_PEER_SECONDS === undefined && env.BENCH_PEER_SIZES === undefined
          ? "../results/peer.json"
          : "../results/peer.tmp.json",
        import.meta.url,
      ),
    );
    mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
    writeFileSync(
      peerOut,
      `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, ...peer, targets: peerTargets(peer), targets23: peerTargets23(peer) }, null, 2)}\n`,
    );
    console.log(`wrote ${peerOut}`);
  }
}

// ---------------------------------------------------------------- 7. fills (issue 21)
let fills: FillsRun | undefined;
if (PARTS.has("fills")) {
  fills = await runFills(
    {
      sizes: (env.BENCH_FILLS_SIZES ?? "16,64").split(",").map(Number),
      levels: 10,
      // The interval issue 21's figures are quoted at (the runner's own default is 10 s).
      intervalSeconds: 2,
      // Past the first reconciliation pass (a minute after the first cycle), which polls more
      // orders than the later ones (8 GetOrders a book against 2 on the real server).
      warmupMs: 1000 * Number(env.BENCH_FILLS_WARMUP_SECONDS ?? 64),
      // 60 s: the reconciliation polls each book's live orders once a minute, so a window of
      // one minute holds one pass per book.
      windowMs: 1000 * Number(env.BENCH_FILLS_SECONDS ?? 60),
      takerMs: 1000 * Number(env.BENCH_FILLS_TAKER_SECONDS ?? 20),
      takeEveryMs: Number(env.BENCH_FILLS_TAKE_EVERY_MS ?? 250),
    },
    (line) => console.log(`  ${line}`),
  );
  failures.push(...fills.problems.map((p) => `fills: ${p}`));
  printFills(fills);
  if (!fills.skipped) {
    const fillsOut = fileURLToPath(
      new URL(
        FILLS_KNOBS.some((name) => env[name] !== undefined)
          ? "../results/fills.tmp.json"
          : "../results/fills.json",
        import.meta.url,
      ),
    );
    mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
    writeFileSync(
      fillsOut,
      `${JSON.stringify({ generatedAt: new Date().toISOString(), machine: { ...machine, loadAverageAtEnd: round(loadavg()[0]!, 2) }, ...fills, targets: fillsTargets(fills) }, null, 2)}\n`,
    );
    console.log(`wrote ${fillsOut}`);
  }
}

// ---------------------------------------------------------------- 8. soak (issue 26)
const SOAK_KNOBS = [
  "SOAK_VENUE",
  "SOAK_MINUTES",
  "SOAK_SYMBOLS",
  "SOAK_WARMUP_MINUTES",
  "SOAK_SAMPLE_SECONDS",
  "SOAK_TICK_MS",
  "SOAK_TAKER_INTERVAL_MS",
  "SOAK_SNAPSHOT_MINUTES",
];
let soak: SoakRun | undefined;
if (PARTS.has("soak")) {
  const minutes = Number(env.SOAK_MINUTES ?? 30);
  soak = await runSoak(
    {
      venue: env.SOAK_VENUE === "sandbox" ? "sandbox" : "process",
      minutes,
      symbols: Number(env.SOAK_SYMBOLS ?? 32),
      // Past the runner's charts filling (ten minutes of one-second samples) and V8's
      // old generation settling: what grows after this is what the target is about.
      warmupMinutes: Number(env.SOAK_WARMUP_MINUTES ?? Math.min(10, minutes / 3)),
      sampleSeconds: Number(env.SOAK_SAMPLE_SECONDS ?? 60),
      tickMs: Number(env.SOAK_TICK_MS ?? 1000),
      sdPercent: 0.01,
      takerMeanIntervalMs: Number(env.SOAK_TAKER_INTERVAL_MS ?? 20_000),
      snapshotAtMinutes: (env.SOAK_SNAPSHOT_MINUTES ?? "")
        .split(",")
        .filter((m) => m.trim() !== "")
        .map(Number),
      snapshotDir: env.SOAK_SNAPSHOT_DIR ?? "/tmp/mm-soak-snapshots",
    },
    (line) => console.log(`  ${line}`),
  );
  failures.push(...soak.problems.map((p) => `soak: ${p}`));
  printSoak(soak);
  const custom = SOAK_KNOBS.some((name) => env[name] !== undefined);
  const soakOut =
    env.SOAK_OUT ??
    fileURLToPath(
      new URL(custom ? "../results/soak.tmp.json" : "../results/soak.json", import.meta.url),
    );
  const generatedAt = new Date().toISOString();
  mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
  writeFileSync(
    soakOut,
    `${JSON.stringify({ generatedAt, machine: { ...machine, loadAverageAtEnd: round(loadavg()[0]!, 2) }, ...soak }, null, 2)}\n`,
  );
  writeFileSync(soakOut.replace(/\.json$/, ".md"), soakSummary(soak, generatedAt));
  console.log(`wrote ${soakOut} and its summary (.md)`);
}

// ---------------------------------------------------------------- targets and output
const targets = evaluateTargets({
  latency: latencyRuns,
  tape: tapeRuns,
  scale: scaleRuns,
  seedName: SEED.name,
  diffName: DIFF.name,
  diffExactName: DIFF_EXACT.name,
});
printTable(
  "Targets of issue 8",
  targets.map((t) => ({
    target: t.target,
    measured: t.measured,
    met: t.met === undefined ? "not run" : t.met ? "yes" : "NO",
  })),
);

const result = {
  schema: 1,
  generatedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  machine: { ...machine, loadAverageAtEnd: round(loadavg()[0]!, 2) },
  requoteLatency: latency,
  tape,
  scale,
  streaming,
  strategies,
  peer: peer && { ...peer, targets: peerTargets(peer), targets23: peerTargets23(peer) },
  fills: fills && { ...fills, targets: fillsTargets(fills) },
  soak: soak && { ...soak, samples: undefined },
  targets,
  failures,
};
mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwrote ${OUT} (${fixed((Date.now() - started) / 1000, 0)} s)`);
if (failures.length > 0) {
  console.error(`\nCORRECTNESS FAILURES (${failures.length}):`);
  for (const failure of failures.slice(0, 50)) console.error(`  - ${failure}`);
  process.exitCode = 1;
}
