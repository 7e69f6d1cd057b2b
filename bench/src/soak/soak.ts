/**
 * Part 8, issue 26: the soak. The built runner left running as a user would leave it, with
 * the venue in a process of its own (the embedded venue's CLI), prices streaming from the
 * exchange kit on a steady random walk and a small taker flow so fills happen. Every sample
 * records, per process, RSS, V8 heaps (the runner's main thread and workers from its own
 * `/status.memory`; the venue's from its `venue stats` line), external memory, handles and
 * descriptors, event-loop delay, venue calls and requotes. After the warm-up it names, the
 * growth per hour (least squares over the samples, % of their mean) against issue 26's target.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { startExchangeKit } from "@matchingo-mm/testkit";
import { startTakerFlow } from "@matchingo-mm/venue";
import { cpuSeconds, memoryMiB, threadCount } from "../scale/proc.ts";
import { type RunnerProcess, startRunnerProcess } from "../scale/runner-process.ts";
import { round } from "../stats.ts";
import { normal } from "../tape.ts";
import {
  after,
  type Flatness,
  firstAndLastWindows,
  flatness,
  growthPercentPerHour,
  metricSum,
  type Point,
  type WindowsCompared,
} from "./analysis.ts";

const VENUE_DIR = fileURLToPath(new URL("../../../packages/venue/", import.meta.url));
const MIB = 1024 * 1024;
const START_CENTS = 5_000_000; // 50000.00

export interface SoakSpec {
  /**
   * `process`: the embedded venue's CLI in a process of its own, and the bench's taker
   * flow on it. `sandbox`: the runner alone as `MATCHINGO_GRPC_ADDR` unset starts it, its
   * venue, takers and trade stream in process (the first observation).
   */
  readonly venue: "process" | "sandbox";
  readonly minutes: number;
  readonly symbols: number;
  /** Samples before this are the warm-up: not in the growth figures. */
  readonly warmupMinutes: number;
  readonly sampleSeconds: number;
  /** Every symbol's price moves once per tick (a random walk, sd `sdPercent` of the price). */
  readonly tickMs: number;
  readonly sdPercent: number;
  /** Mean ms between two taker orders of one book. */
  readonly takerMeanIntervalMs: number;
  /** Minutes at which both processes write a V8 heap snapshot (SIGUSR2); empty: none. */
  readonly snapshotAtMinutes: readonly number[];
  /** Where the snapshots go. */
  readonly snapshotDir: string;
}

export interface SoakSample {
  /** ms since the runner was started. */
  readonly atMs: number;
  readonly runner: {
    readonly rssMiB: number;
    readonly fds: number;
    readonly threads: number;
    readonly cpuSeconds: number;
    /** `nodejs_active_handles_total`. */
    readonly handles: number;
    readonly heapUsedMiB: number;
    /** The main thread's heap just after its last full collection (its live set). */
    readonly heapLiveMiB: number;
    readonly heapTotalMiB: number;
    readonly externalMiB: number;
    readonly arrayBuffersMiB: number;
    readonly workersHeapUsedMiB: number;
    /** Every worker's heap after its last full collection, added up. */
    readonly workersHeapLiveMiB: number;
    readonly workersHeapTotalMiB: number;
    readonly workersExternalMiB: number;
    /** Workers that have reported their heap. */
    readonly workersReporting: number;
    /** Worker restarts since the start, all symbols (a crash, e.g. out of heap). */
    readonly workerRestarts: number;
    /** `nodejs_eventloop_lag_p99_seconds` since the previous sample (the scrape resets it), ms. */
    readonly eventLoopP99Ms: number;
    readonly eventLoopMeanMs: number;
    /** Counters since the start: `mm_rpc_total`, `mm_cycles_total` (interval and tick requotes), orders placed, fills. */
    readonly venueCalls: number;
    readonly requotes: number;
    readonly ordersPlaced: number;
    readonly fills: number;
  };
  readonly venue: {
    readonly rssMiB: number;
    readonly fds: number;
    readonly cpuSeconds: number;
    readonly heapUsedMiB?: number;
    readonly heapLiveMiB?: number;
    readonly heapTotalMiB?: number;
    readonly externalMiB?: number;
    readonly liveOrders?: number;
    readonly trades?: number;
  };
  readonly takerOrders: number;
}

export interface SoakTarget {
  readonly id: string;
  readonly target: string;
  readonly measured: string;
  readonly value: number | string;
  readonly met: boolean;
}

export interface SoakRun {
  readonly spec: Omit<SoakSpec, "snapshotDir">;
  readonly env: Record<string, string>;
  readonly startupMs: number;
  readonly durationMs: number;
  readonly samples: SoakSample[];
  /** % of the mean per hour over the samples after the warm-up. */
  readonly growthPercentPerHour: Record<string, number>;
  readonly flat: Record<string, Flatness>;
  readonly eventLoopP99Ms: WindowsCompared;
  /** Per second over the post-warm-up samples. */
  readonly rates: {
    readonly venueCallsPerSecond: number;
    readonly requotesPerSecond: number;
    readonly fillsPerMinute: number;
    readonly runnerCpuPercent: number;
    readonly venueCpuPercent: number;
  };
  readonly snapshots: string[];
  /** Samples not taken (the runner did not answer in time), with why. */
  readonly skippedSamples: string[];
  readonly shutdown: { exitCode: number | null; ms: number; ordersLeft: number };
  readonly targets: SoakTarget[];
  readonly problems: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

function centsText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

interface VenueStats {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapAfterGc?: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly liveOrders: number;
  readonly trades: number;
}

interface VenueProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly address: Promise<string>;
  lastStats(): VenueStats | undefined;
  stderr(): string;
}

/** The embedded venue's CLI in a process of its own, a stats line every sample. */
function startVenueProcess(spec: SoakSpec, nodeArgs: readonly string[]): VenueProcess {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      "--import",
      "tsx",
      "src/cli.ts",
      "--address",
      "127.0.0.1:0",
      "--stats-seconds",
      String(spec.sampleSeconds),
    ],
    {
      cwd: VENUE_DIR,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  if (child.pid === undefined) throw new Error("could not start the venue");
  let stats: VenueStats | undefined;
  let err = "";
  let partial = "";
  let resolveAddress: (address: string) => void = () => undefined;
  let rejectAddress: (error: Error) => void = () => undefined;
  const address = new Promise<string>((resolve, reject) => {
    resolveAddress = resolve;
    rejectAddress = reject;
  });
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === "matchingo venue listening") resolveAddress(String(parsed.address));
        if (parsed.msg === "venue stats") stats = parsed as unknown as VenueStats;
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err = (err + chunk).slice(-4000);
  });
  child.on("exit", (code) => rejectAddress(new Error(`the venue exited (${code}): ${err}`)));
  return { child, pid: child.pid, address, lastStats: () => stats, stderr: () => err };
}

async function text(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return response.text();
}

interface StatusMemory {
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly main: { used: number; total: number; external: number; afterGc?: number };
  readonly workers: Record<string, unknown>;
  readonly workersTotal: { used: number; total: number; external: number; afterGc?: number };
}

/** Orders still resting on the books (nobody else rests there: the takers are IOC). */
async function ordersOnBooks(
  address: string,
  books: readonly string[],
  problems: string[],
): Promise<number> {
  const client = createMatchingoClient({ address, userAddress: "soak-check" });
  try {
    let left = 0;
    for (const book of books) {
      const state = await client.getOrderBookState(book, 1000);
      left += [...state.bids, ...state.asks].reduce((sum, level) => sum + level.orderCount, 0);
    }
    return left;
  } catch (error) {
    problems.push(`could not read the books after the stop: ${message(error)}`);
    return Number.NaN;
  } finally {
    client.close();
  }
}

export async function runSoak(spec: SoakSpec, log: (line: string) => void): Promise<SoakRun> {
  const problems: string[] = [];
  const symbols = Array.from(
    { length: spec.symbols },
    (_, i) => `K${String(i + 1).padStart(2, "0")}-USDT`,
  );
  const snapshotting = spec.snapshotAtMinutes.length > 0;
  if (snapshotting) mkdirSync(spec.snapshotDir, { recursive: true });
  const snapshotArgs = snapshotting
    ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${spec.snapshotDir}`]
    : [];
  const venue = spec.venue === "process" ? startVenueProcess(spec, snapshotArgs) : undefined;
  const venueAddress = venue ? await venue.address : undefined;
  log(
    venue
      ? `soak: venue (CLI, pid ${venue.pid}) on ${venueAddress}`
      : "soak: sandbox (the runner's own venue, takers and trade stream)",
  );

  // The random walk: integer cents, every symbol on its own seeded draws.
  const cents = new Map(symbols.map((s) => [s, START_CENTS]));
  const draws = new Map(symbols.map((s, i) => [s, normal(2600 + i)]));
  const kit = await startExchangeKit({
    prices: Object.fromEntries(symbols.map((s) => [s, centsText(START_CENTS)])),
  });
  const walk = setInterval(() => {
    for (const symbol of symbols) {
      const now = cents.get(symbol)!;
      const step = Math.round(draws.get(symbol)!() * now * (spec.sdPercent / 100));
      const next = Math.max(100, now + step);
      cents.set(symbol, next);
      kit.setPrice(symbol, centsText(next));
    }
  }, spec.tickMs);

  const stateDir = mkdtempSync(join(tmpdir(), "mm-bench-soak-"));
  const env = {
    ...(venueAddress ? { MATCHINGO_GRPC_ADDR: venueAddress } : {}),
    MARKET_SYMBOLS: symbols.join(","),
    MARKET_MAKER_ID: "soak",
    PRICE_SOURCES: "binance",
    BINANCE_URL: kit.url,
    BINANCE_WS_URL: kit.binance.url,
    // One source: its first price is taken as it comes.
    FIRST_PRICE_CONFIRMATIONS: "1",
    STATE_DIR: stateDir,
    METRICS_ADDR: "127.0.0.1:0",
    LOG_LEVEL: "info",
    // Workers write their own snapshots at the same minutes (they get no signals).
    ...(snapshotting
      ? {
          MM_TEST_HEAP_SNAPSHOT_DIR: spec.snapshotDir,
          MM_TEST_HEAP_SNAPSHOT_SECONDS: spec.snapshotAtMinutes.map((m) => m * 60).join(","),
        }
      : {}),
  };
  const startedAt = Date.now();
  const runner: RunnerProcess = startRunnerProcess(env, {
    // Keep only the line the soak waits for: the bench must not grow with the runner's log.
    keep: (line) => typeof line.ops === "string",
    nodeArgs: snapshotArgs,
  });
  const taker =
    venueAddress === undefined
      ? undefined
      : startTakerFlow({
          address: venueAddress,
          books: symbols.map((symbol) => ({
            book: symbol,
            price: () => centsText(cents.get(symbol)!),
            size: "0.01",
            // Past the first level (spread 0.1 %: 0.05 % from the price): some trade, some do not.
            reachPercent: "0.15",
          })),
          seed: 26,
          meanIntervalMs: spec.takerMeanIntervalMs,
          userAddress: "soak-taker",
        });

  const samples: SoakSample[] = [];
  const snapshots: string[] = [];
  const skipped: string[] = [];
  let startupMs = Number.NaN;
  let exitCode: number | null = null;
  let stopMs = Number.NaN;
  let ordersLeft = Number.NaN;
  const endAt = startedAt + spec.minutes * 60_000;
  try {
    const ops = String(
      (await runner.waitForLog((line) => typeof line.ops === "string", 120_000, "the ops endpoint"))
        .ops,
    );
    // Every symbol quoting once.
    for (;;) {
      const status = JSON.parse(await text(`http://${ops}/status`)) as {
        symbols: { state: string }[];
      };
      if (status.symbols.every((s) => s.state === "quoting")) break;
      if (Date.now() - startedAt > 180_000) throw new Error("not every symbol quoting in 180 s");
      await sleep(500);
    }
    startupMs = Date.now() - startedAt;
    log(
      `soak: ${spec.symbols} symbols quoting after ${(startupMs / 1000).toFixed(1)} s; sampling every ${spec.sampleSeconds} s for ${spec.minutes} min (warm-up ${spec.warmupMinutes} min)`,
    );
    const pendingSnapshots = [...spec.snapshotAtMinutes].sort((a, b) => a - b);
    let failedSamples = 0;
    for (let k = 1; ; k++) {
      const due = startedAt + k * spec.sampleSeconds * 1000;
      if (due > endAt) break;
      await sleep(Math.max(0, due - Date.now()));
      if (pendingSnapshots.length > 0 && Date.now() - startedAt >= pendingSnapshots[0]! * 60_000) {
        const minute = pendingSnapshots.shift()!;
        runner.child.kill("SIGUSR2");
        venue?.child.kill("SIGUSR2");
        snapshots.push(
          `minute ${minute}: runner pid ${runner.pid}, venue pid ${venue?.pid ?? "-"}`,
        );
        log(`soak: heap snapshots asked at minute ${minute} (in ${spec.snapshotDir})`);
      }
      let statusText: string;
      let metrics: string;
      try {
        [statusText, metrics] = await Promise.all([
          text(`http://${ops}/status`),
          text(`http://${ops}/metrics`),
        ]);
        failedSamples = 0;
      } catch (error) {
        // A heap snapshot stops the runner's thread for seconds: one late answer is a
        // missed sample, three in a row end the soak.
        skipped.push(
          `sample at ${((Date.now() - startedAt) / 60_000).toFixed(1)} min: ${message(error)}`,
        );
        if (++failedSamples >= 3) throw error;
        continue;
      }
      const parsed = JSON.parse(statusText) as {
        memory?: StatusMemory;
        symbols?: { workerRestarts?: number }[];
      };
      const memory = parsed.memory;
      const runnerMemory = memoryMiB(runner.pid);
      const venueMemory = venue ? memoryMiB(venue.pid) : { rss: Number.NaN };
      const stats = venue?.lastStats();
      const sample: SoakSample = {
        atMs: Date.now() - startedAt,
        runner: {
          rssMiB: round(runnerMemory.rss, 2),
          fds: fdCount(runner.pid),
          threads: threadCount(runner.pid),
          cpuSeconds: round(cpuSeconds(runner.pid), 2),
          handles: metricSum(metrics, "nodejs_active_handles_total"),
          heapUsedMiB: round((memory?.main.used ?? Number.NaN) / MIB, 2),
          heapLiveMiB: round((memory?.main.afterGc ?? Number.NaN) / MIB, 2),
          heapTotalMiB: round((memory?.main.total ?? Number.NaN) / MIB, 2),
          externalMiB: round((memory?.external ?? Number.NaN) / MIB, 2),
          arrayBuffersMiB: round((memory?.arrayBuffers ?? Number.NaN) / MIB, 2),
          workersHeapUsedMiB: round((memory?.workersTotal.used ?? Number.NaN) / MIB, 2),
          workersHeapLiveMiB: round((memory?.workersTotal.afterGc ?? Number.NaN) / MIB, 2),
          workersHeapTotalMiB: round((memory?.workersTotal.total ?? Number.NaN) / MIB, 2),
          workersExternalMiB: round((memory?.workersTotal.external ?? Number.NaN) / MIB, 2),
          workersReporting: Object.keys(memory?.workers ?? {}).length,
          workerRestarts: (parsed.symbols ?? []).reduce((n, x) => n + (x.workerRestarts ?? 0), 0),
          eventLoopP99Ms: round(metricSum(metrics, "nodejs_eventloop_lag_p99_seconds") * 1000, 2),
          eventLoopMeanMs: round(metricSum(metrics, "nodejs_eventloop_lag_mean_seconds") * 1000, 2),
          venueCalls: metricSum(metrics, "mm_rpc_total"),
          requotes: metricSum(metrics, "mm_cycles_total"),
          ordersPlaced: metricSum(metrics, "mm_orders_placed_total"),
          fills: metricSum(metrics, "mm_fills_total"),
        },
        venue: {
          rssMiB: round(venueMemory.rss, 2),
          fds: venue ? fdCount(venue.pid) : Number.NaN,
          cpuSeconds: venue ? round(cpuSeconds(venue.pid), 2) : Number.NaN,
          ...(stats
            ? {
                heapUsedMiB: round(stats.heapUsed / MIB, 2),
                heapLiveMiB: round((stats.heapAfterGc ?? Number.NaN) / MIB, 2),
                heapTotalMiB: round(stats.heapTotal / MIB, 2),
                externalMiB: round(stats.external / MIB, 2),
                liveOrders: stats.liveOrders,
                trades: stats.trades,
              }
            : {}),
        },
        takerOrders: taker?.sent ?? Number.NaN,
      };
      samples.push(sample);
      log(
        `soak ${(sample.atMs / 60_000).toFixed(1)} min: runner RSS ${sample.runner.rssMiB.toFixed(0)} MiB, heap ${sample.runner.heapUsedMiB.toFixed(1)}/${sample.runner.heapTotalMiB.toFixed(1)} live ${sample.runner.heapLiveMiB.toFixed(1)}, workers ${sample.runner.workersHeapUsedMiB.toFixed(1)}/${sample.runner.workersHeapTotalMiB.toFixed(1)} live ${sample.runner.workersHeapLiveMiB.toFixed(1)}, ext ${sample.runner.externalMiB.toFixed(1)}, fds ${sample.runner.fds}, handles ${sample.runner.handles}, loop p99 ${sample.runner.eventLoopP99Ms} ms; venue RSS ${sample.venue.rssMiB.toFixed(0)} heap ${sample.venue.heapUsedMiB?.toFixed(1) ?? "-"} live ${sample.venue.heapLiveMiB?.toFixed(1) ?? "-"} trades ${sample.venue.trades ?? "-"}; calls ${sample.runner.venueCalls}, requotes ${sample.runner.requotes}, fills ${sample.runner.fills}`,
      );
    }
  } catch (error) {
    problems.push(`${message(error)}\n${runner.stderr().slice(-2000)}`);
  } finally {
    clearInterval(walk);
    await taker?.stop();
    const stopAt = Date.now();
    runner.child.kill("SIGTERM");
    const timer = setTimeout(() => runner.child.kill("SIGKILL"), 60_000);
    exitCode = (await runner.exited).code;
    clearTimeout(timer);
    stopMs = Date.now() - stopAt;
    // The sandbox's venue stopped with the runner (the runner's own stop checks its books).
    if (venueAddress) ordersLeft = await ordersOnBooks(venueAddress, symbols, problems);
    if (venue) {
      venue.child.kill("SIGTERM");
      await new Promise((resolve) => venue.child.once("exit", resolve));
    }
    await kit.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  if (exitCode !== 0) problems.push(`runner exit code ${exitCode}`);
  const restarts = samples.at(-1)?.runner.workerRestarts ?? 0;
  if (restarts > 0) problems.push(`${restarts} worker restarts during the soak`);
  if (ordersLeft > 0) problems.push(`${ordersLeft} orders left on the venue after SIGTERM`);

  return summarizeSoak(spec, env, samples, startupMs, {
    problems,
    skippedSamples: skipped,
    snapshots,
    shutdown: { exitCode, ms: stopMs, ordersLeft },
  });
}

type Extract = (sample: SoakSample) => number | undefined;

/** The figures that must not grow (%/h), and the counts that must stay flat. */
const GROWTH: Record<string, Extract> = {
  runnerRss: (s) => s.runner.rssMiB,
  runnerHeapLive: (s) => s.runner.heapLiveMiB,
  runnerHeapUsed: (s) => s.runner.heapUsedMiB,
  runnerHeapTotal: (s) => s.runner.heapTotalMiB,
  runnerExternal: (s) => s.runner.externalMiB,
  workersHeapLive: (s) => s.runner.workersHeapLiveMiB,
  workersHeapUsed: (s) => s.runner.workersHeapUsedMiB,
  workersHeapTotal: (s) => s.runner.workersHeapTotalMiB,
  venueRss: (s) => s.venue.rssMiB,
  venueHeapLive: (s) => s.venue.heapLiveMiB,
  venueHeapUsed: (s) => s.venue.heapUsedMiB,
  venueHeapTotal: (s) => s.venue.heapTotalMiB,
};
const FLAT: Record<string, Extract> = {
  runnerFds: (s) => s.runner.fds,
  runnerHandles: (s) => s.runner.handles,
  runnerThreads: (s) => s.runner.threads,
  venueFds: (s) => s.venue.fds,
};

/** Everything the soak prints and writes, from its samples (pure). */
export function summarizeSoak(
  spec: SoakSpec,
  env: Record<string, string>,
  samples: readonly SoakSample[],
  startupMs: number,
  extra: Pick<SoakRun, "problems" | "snapshots" | "shutdown" | "skippedSamples">,
): SoakRun {
  const warmupMs = spec.warmupMinutes * 60_000;
  const endMs = samples.at(-1)?.atMs ?? 0;
  const series = (extract: Extract): Point[] =>
    samples.map((s) => ({ atMs: s.atMs, value: extract(s) ?? Number.NaN }));
  const growth = Object.fromEntries(
    Object.entries(GROWTH).map(([name, extract]) => [
      name,
      round(growthPercentPerHour(after(series(extract), warmupMs)), 2),
    ]),
  );
  const flat = Object.fromEntries(
    Object.entries(FLAT).map(([name, extract]) => [
      name,
      flatness(after(series(extract), warmupMs)),
    ]),
  );
  const loop = firstAndLastWindows(
    series((s) => s.runner.eventLoopP99Ms),
    warmupMs,
    endMs,
    10 * 60_000,
    2,
  );
  const post = samples.filter((s) => s.atMs >= warmupMs);
  const first = post[0];
  const last = post.at(-1);
  const seconds = first && last ? (last.atMs - first.atMs) / 1000 : Number.NaN;
  const per = (extract: (s: SoakSample) => number) =>
    first && last && seconds > 0 ? (extract(last) - extract(first)) / seconds : Number.NaN;
  const rates = {
    venueCallsPerSecond: round(
      per((s) => s.runner.venueCalls),
      1,
    ),
    requotesPerSecond: round(
      per((s) => s.runner.requotes),
      2,
    ),
    fillsPerMinute: round(per((s) => s.runner.fills) * 60, 1),
    runnerCpuPercent: round(per((s) => s.runner.cpuSeconds) * 100, 1),
    venueCpuPercent: round(per((s) => s.venue.cpuSeconds) * 100, 1),
  };
  const within = (name: string) => Number.isFinite(growth[name]!) && growth[name]! <= 1;
  const pct = (name: string) => `${growth[name]} %/h`;
  const flatText = (f: Flatness) =>
    `${round(f.first, 1)} → ${round(f.last, 1)} (min ${f.min}, max ${f.max})`;
  const targets: SoakTarget[] = [
    ...[
      "runnerRss",
      "runnerHeapLive",
      "workersHeapLive",
      ...(spec.venue === "process" ? ["venueRss", "venueHeapLive"] : []),
    ].map((name) => ({
      id: `growth-${name}`,
      target: `${name} grows ≤ 1 %/h after the ${spec.warmupMinutes}-minute warm-up (least squares, % of the mean)`,
      measured: pct(name),
      value: growth[name]!,
      met: within(name),
    })),
    ...["runnerFds", "runnerHandles", ...(spec.venue === "process" ? ["venueFds"] : [])].map(
      (name) => ({
        id: `flat-${name}`,
        target: `${name} flat after the warm-up (last quarter's mean ≤ first quarter's + 2)`,
        measured: flatText(flat[name]!),
        value: round(flat[name]!.last - flat[name]!.first, 2),
        met: flat[name]!.flat,
      }),
    ),
    {
      id: "event-loop-p99",
      target: `runner event-loop delay p99 unchanged: last ${round(loop.windowMs / 60_000, 1)} min vs first ${round(loop.windowMs / 60_000, 1)} min after the warm-up (≤ 1.25x or ≤ +2 ms)`,
      measured: `${round(loop.first, 2)} → ${round(loop.last, 2)} ms`,
      value: round(loop.last - loop.first, 2),
      met: loop.unchanged,
    },
  ];
  const { snapshotDir: _, ...shown } = spec;
  return {
    spec: shown,
    env,
    startupMs,
    durationMs: endMs,
    samples: [...samples],
    growthPercentPerHour: growth,
    flat,
    eventLoopP99Ms: {
      ...loop,
      first: round(loop.first, 2),
      last: round(loop.last, 2),
    },
    rates,
    targets,
    ...extra,
  };
}
