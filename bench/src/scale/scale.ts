import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { round, roundSummary, type Summary, summarize } from "../stats.ts";
import type { RemoteVenue } from "../venue-thread/remote-venue.ts";
import { startPriceServer } from "./price-server.ts";
import { cpuSeconds, memoryMiB, threadCount } from "./proc.ts";
import { type LogLine, startRunnerProcess } from "./runner-process.ts";

export interface ScaleSpec {
  readonly symbols: number;
  readonly levels: number;
  readonly intervalMs: number;
  readonly refreshTolerancePercent: string;
  /** After the cycles keep pace, before measuring. */
  readonly warmupMs: number;
  /** Give up waiting for every symbol to quote, and for steady cycles, after this. */
  readonly maxWarmupMs: number;
  readonly windowMs: number;
  /** Per-second move of each symbol's price on the local exchange, percent (sd). */
  readonly priceSdPercent: number;
}

export interface ScaleRun {
  readonly symbols: number;
  readonly levels: number;
  readonly intervalMs: number;
  readonly refreshTolerancePercent: string;
  /** Start of the runner to every symbol's first quoted cycle, ms. */
  readonly startupMs: number;
  /** Start of the runner to cycles keeping pace (see README), ms. */
  readonly steadyAfterMs: number;
  /** False when the cycles never kept pace within `maxWarmupMs` (measured anyway). */
  readonly steady: boolean;
  readonly windowMs: number;
  /** Cycles of all symbols that started in the window. */
  readonly cycles: number;
  /** Cycles per symbol per interval in the window (1 when none is late or missing). */
  readonly cycleRate: number;
  /** Start-to-start gaps in the window that were at most `intervalMs × (1 + onTimeSlack)`. */
  readonly onTime: number;
  readonly onTimeFraction: number;
  readonly onTimeSlack: number;
  /** Where cycle starts come from: the cycle line's `startedAt`, or its time minus its duration. */
  readonly cycleStart: "startedAt" | "log-time-minus-duration";
  /** Start-to-start gaps of each symbol's consecutive cycles, ms. */
  readonly startToStartMs: Summary;
  /** The same before the window: from each symbol's first cycle to the window's start. */
  readonly warmup: {
    readonly gaps: number;
    readonly onTimeFraction: number;
    readonly maxStartToStartMs: number;
  };
  /** Gaps between the exchange's requests in the window, ms. */
  readonly requestGapMs: Summary;
  /** Cycle durations (price asked → last order call done), ms. */
  readonly cycleMs: Summary;
  /** Cycles in the window whose outcome was not `quoted`. */
  readonly notQuoted: number;
  /** CPU of the runner process (all threads) over the window, % of one core. */
  readonly runnerCpuPercent: number;
  /** CPU of the bench process (venue thread, price server, log parsing), % of one core. */
  readonly benchCpuPercent: number;
  readonly runnerRssMiB: number;
  readonly runnerPeakRssMiB: number;
  readonly rssPerSymbolMiB: number;
  readonly runnerThreads: number;
  /** HTTP requests the local exchange served in the window. */
  readonly exchangeRequests: number;
  /** Intervals in the window (its length / intervalMs). */
  readonly ticks: number;
  readonly requestsPerTick: number;
  /** Symbols per request, on average. */
  readonly symbolsPerRequest: number;
  /** Books with at least N of our orders per side at the window's end. */
  readonly fullLadders: number;
  readonly shutdown: {
    readonly exitCode: number | null;
    readonly signal: string | null;
    readonly ms: number;
    /** Our orders still on the venue after the runner exited (must be 0). */
    readonly ordersLeft: number;
  };
  readonly selfTrades: number;
  /** Correctness failures (orders left, self-trades, a runner that did not exit cleanly). */
  readonly problems: readonly string[];
  /** Things worth knowing that are not failures. */
  readonly notes: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

interface Cycle {
  readonly symbol: string;
  readonly start: number;
  /** `start` is the worker's own `startedAt`, not estimated from the log line's time. */
  readonly exact: boolean;
  readonly ms: number;
  readonly outcome: string;
}

function cycleOf(line: LogLine): Cycle | undefined {
  if (typeof line.cycle !== "number" || typeof line.symbol !== "string") return undefined;
  if (typeof line.time !== "string" || typeof line.ms !== "number") return undefined;
  // The worker's own start time when the line carries it; else the line's time (written by
  // the main thread once the cycle's event reached it) minus the cycle's duration, which
  // also carries the main thread's lag.
  const exact = typeof line.startedAt === "number";
  return {
    symbol: line.symbol,
    start: exact ? (line.startedAt as number) : Date.parse(line.time) - line.ms,
    exact,
    ms: line.ms,
    outcome: String(line.outcome),
  };
}

/**
 * The real runner with `spec.symbols` symbols against the venue thread and a local
 * Binance: warm up, measure a window, SIGTERM, then check the venue holds none of its orders.
 */
export async function runScale(venue: RemoteVenue, spec: ScaleSpec): Promise<ScaleRun> {
  const problems: string[] = [];
  const notes: string[] = [];
  const names = Array.from(
    { length: spec.symbols },
    (_, i) => `S${String(i + 1).padStart(2, "0")}-USDT`,
  );
  const exchange = await startPriceServer({
    symbols: names.map((name) => name.replace("-", "")),
    seed: 1000 + spec.symbols,
    stepMs: spec.intervalMs,
    sdPercent: spec.priceSdPercent,
  });
  const stateDir = mkdtempSync(join(tmpdir(), "mm-bench-"));
  const marketMakerId = `bench-s${spec.symbols}${spec.refreshTolerancePercent === "0" ? "x" : ""}`;
  const ours = (address: string) => address.startsWith(`${marketMakerId}-`);
  const started = Date.now();
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    MARKET_SYMBOLS: names.join(","),
    MARKET_MAKER_ID: marketMakerId,
    NUM_LEVELS: String(spec.levels),
    UPDATE_INTERVAL_SECONDS: String(spec.intervalMs / 1000),
    REQUOTE_MODE: "diff",
    REFRESH_TOLERANCE_PERCENT: spec.refreshTolerancePercent,
    PRICE_SOURCES: "binance",
    // One source: its first price is taken as it comes (issue 22 makes a lone source hold it
    // for FIRST_PRICE_CONFIRMATIONS rounds), so the start figures stay comparable.
    FIRST_PRICE_CONFIRMATIONS: "1",
    BINANCE_URL: exchange.url,
    STATE_DIR: stateDir,
    METRICS_ADDR: "127.0.0.1:0",
    LOG_LEVEL: "info",
  });
  try {
    const quoted = new Set<string>();
    const seenCycles: Cycle[] = [];
    let seen = 0;
    const readLogs = () => {
      for (; seen < runner.logs.length; seen++) {
        const cycle = cycleOf(runner.logs[seen]!);
        if (!cycle) continue;
        seenCycles.push(cycle);
        if (cycle.outcome === "quoted") quoted.add(cycle.symbol);
      }
      if (runner.child.exitCode !== null) throw new Error(`the runner exited: ${runner.stderr()}`);
    };
    await waitUntil(
      () => {
        readLogs();
        return quoted.size === names.length;
      },
      spec.maxWarmupMs,
      `every symbol's first quoted cycle (${names.length})`,
    ).catch((error: unknown) => {
      // How far it got is the figure when it never gets there.
      const outcomes = new Map<string, number>();
      for (const cycle of seenCycles)
        outcomes.set(cycle.outcome, (outcomes.get(cycle.outcome) ?? 0) + 1);
      const warnings = new Map<string, number>();
      for (const line of runner.logs)
        if (line.level >= 40) warnings.set(line.msg, (warnings.get(line.msg) ?? 0) + 1);
      const top = [...warnings].sort((a, b) => b[1] - a[1]).slice(0, 5);
      const example = runner.logs.find((line) => line.level >= 40 && line.err !== undefined);
      throw new Error(
        `${(error as Error).message}: ${quoted.size} of ${names.length} had quoted, ${seenCycles.length} cycles logged (${[...outcomes].map(([o, n]) => `${o} ${n}`).join(", ")}); most frequent warnings: ${top.map(([m, n]) => `${n}x ${m}`).join(" | ")}; e.g. ${String(JSON.stringify(example?.err)).slice(0, 600)}`,
        { cause: error },
      );
    });
    const startupMs = Date.now() - started;
    // Every worker is its own V8 isolate that loads and JIT-compiles the whole stack: on a
    // small box the first cycles are slow. Measure once it keeps pace: over the last
    // `steadyMs`, about one cycle per symbol per interval, none longer than half an interval.
    const steadyMs = 3 * spec.intervalMs;
    let steady = true;
    try {
      await waitUntil(
        () => {
          readLogs();
          const since = Date.now() - steadyMs;
          const recent = seenCycles.filter((cycle) => cycle.start + cycle.ms >= since);
          return (
            Date.now() - started >= startupMs + steadyMs &&
            recent.length >= 0.95 * names.length * (steadyMs / spec.intervalMs) &&
            recent.every((cycle) => cycle.ms < spec.intervalMs / 2 && cycle.outcome === "quoted")
          );
        },
        Math.max(0, spec.maxWarmupMs - startupMs),
        "steady cycles",
      );
    } catch {
      steady = false;
      notes.push(
        `cycles did not keep pace within ${spec.maxWarmupMs} ms of start: measured anyway`,
      );
    }
    const steadyAfterMs = Date.now() - started;
    await sleep(spec.warmupMs);

    const from = Date.now();
    const cpuFrom = cpuSeconds(runner.pid);
    const benchFrom = process.cpuUsage();
    const requestsFrom = exchange.requests();
    const askedFrom = exchange.symbolsAsked();
    await sleep(spec.windowMs);
    const to = Date.now();
    const cpuTo = cpuSeconds(runner.pid);
    const bench = process.cpuUsage(benchFrom);
    const requests = exchange.requests() - requestsFrom;
    const asked = exchange.symbolsAsked() - askedFrom;
    const requestTimes = exchange.log.filter((r) => r.at >= from && r.at < to).map((r) => r.at);
    const memory = memoryMiB(runner.pid);
    const threads = threadCount(runner.pid);
    const elapsed = to - from;

    const live = await venue.liveOrders();
    let fullLadders = 0;
    for (const name of names) {
      const mine = live.filter((order) => order.book === name && ours(order.userAddress));
      const bids = mine.filter((order) => order.side === "buy").length;
      if (bids >= spec.levels && mine.length - bids >= spec.levels) fullLadders++;
    }

    const cycles = runner.logs.map(cycleOf).filter((cycle): cycle is Cycle => cycle !== undefined);
    const inWindow = cycles.filter((cycle) => cycle.start >= from && cycle.start < to);
    const gaps: number[] = [];
    for (const name of names) {
      const starts = cycles.filter((cycle) => cycle.symbol === name).map((cycle) => cycle.start);
      for (let i = 1; i < starts.length; i++) {
        if (starts[i]! >= from && starts[i]! < to) gaps.push(starts[i]! - starts[i - 1]!);
      }
    }
    const warmupGaps: number[] = [];
    for (const name of names) {
      const starts = cycles.filter((cycle) => cycle.symbol === name).map((cycle) => cycle.start);
      for (let i = 1; i < starts.length; i++) {
        if (starts[i]! < from) warmupGaps.push(starts[i]! - starts[i - 1]!);
      }
    }
    const slack = 0.1;
    const late = (gap: number) => gap > spec.intervalMs * (1 + slack);
    const onTime = gaps.filter((gap) => !late(gap)).length;
    const ticks = elapsed / spec.intervalMs;

    // ------------------------------------------------------------ stop, and nothing left
    const stopAt = Date.now();
    runner.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      runner.exited,
      new Promise<{ code: null; signal: string }>((resolve) => {
        timer = setTimeout(() => resolve({ code: null, signal: "no exit within 30 s" }), 30_000);
      }),
    ]);
    clearTimeout(timer);
    const shutdownMs = Date.now() - stopAt;
    if (exit.code !== 0)
      problems.push(`runner exit code ${exit.code} (${exit.signal ?? "no signal"})`);
    const left = (await venue.liveOrders()).filter((order) => ours(order.userAddress)).length;
    if (left > 0) problems.push(`${left} of the runner's orders left on the venue after SIGTERM`);
    const selfTrades = (await venue.trades()).filter(
      (trade) =>
        ours(trade.takerUserAddress) &&
        ours(trade.makerUserAddress) &&
        trade.takerUserAddress === trade.makerUserAddress,
    ).length;
    if (selfTrades > 0) problems.push(`${selfTrades} self-trades in the venue's trade log`);

    return {
      symbols: spec.symbols,
      levels: spec.levels,
      intervalMs: spec.intervalMs,
      refreshTolerancePercent: spec.refreshTolerancePercent,
      startupMs,
      steadyAfterMs,
      steady,
      windowMs: elapsed,
      cycles: inWindow.length,
      cycleRate: round(inWindow.length / (names.length * ticks), 3),
      onTime,
      onTimeFraction: round(gaps.length === 0 ? 0 : onTime / gaps.length, 4),
      onTimeSlack: slack,
      cycleStart: inWindow.every((cycle) => cycle.exact) ? "startedAt" : "log-time-minus-duration",
      startToStartMs: roundSummary(summarize(gaps), 1),
      warmup: {
        gaps: warmupGaps.length,
        onTimeFraction: round(
          warmupGaps.length === 0
            ? 1
            : warmupGaps.filter((gap) => !late(gap)).length / warmupGaps.length,
          4,
        ),
        maxStartToStartMs: warmupGaps.length === 0 ? 0 : Math.max(...warmupGaps),
      },
      cycleMs: roundSummary(summarize(inWindow.map((cycle) => cycle.ms)), 1),
      notQuoted: inWindow.filter((cycle) => cycle.outcome !== "quoted").length,
      runnerCpuPercent: round((100 * (cpuTo - cpuFrom) * 1000) / elapsed, 1),
      benchCpuPercent: round((100 * (bench.user + bench.system)) / 1000 / elapsed, 1),
      runnerRssMiB: round(memory.rss, 1),
      runnerPeakRssMiB: round(memory.peak, 1),
      rssPerSymbolMiB: round(memory.rss / spec.symbols, 2),
      runnerThreads: threads,
      exchangeRequests: requests,
      ticks: round(ticks, 2),
      requestsPerTick: round(requests / ticks, 3),
      requestGapMs: roundSummary(
        summarize(requestTimes.slice(1).map((at, i) => at - requestTimes[i]!)),
        0,
      ),
      symbolsPerRequest: round(requests === 0 ? 0 : asked / requests, 1),
      fullLadders,
      shutdown: { exitCode: exit.code, signal: exit.signal, ms: shutdownMs, ordersLeft: left },
      selfTrades,
      problems,
      notes,
    };
  } finally {
    if (runner.child.exitCode === null && runner.child.signalCode === null)
      runner.child.kill("SIGKILL");
    await exchange.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
