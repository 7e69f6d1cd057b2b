/**
 * Part 4, issue 12: tick-to-quote latency of the real runner (built, a child process) on a
 * local exchange stream, against the same runner polling REST at 1 s and at the seed's
 * 10 s; and the venue RPCs a 100-ticks-a-second stream costs per symbol.
 *
 * The venue runs in this process (its `onEvent` is the clock: each event is timed with
 * `performance.now()` as it happens) and so does the exchange test kit, whose `setPrice`
 * both pushes the new quote on the WebSockets and answers it on REST from then on.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type ExchangeKit, startExchangeKit } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { startRunnerProcess } from "./scale/runner-process.ts";
import { roundSummary, type Summary, summarize } from "./stats.ts";

export interface StreamingSpec {
  readonly symbols: number;
  readonly levels: number;
  /** Price steps per mode; every step moves all symbols at once. */
  readonly steps: { readonly stream: number; readonly poll1s: number; readonly poll10s: number };
  readonly minRequoteIntervalMs: number;
  /** How long the 100-ticks-a-second feed runs. */
  readonly burstMs: number;
}

export interface LatencyMode {
  readonly mode: string;
  readonly env: Record<string, string>;
  readonly steps: number;
  /** Step sent → whole new ladder live on the venue, ms, one sample per symbol and step. */
  readonly latencyMs: Summary;
  /** Steps whose new ladder never came (within the wait). */
  readonly missed: number;
  /**
   * Stream only, from the runner's tick-requote lines: step sent → the worker starts the
   * requote (kit → main thread → worker → trigger), and the requote itself (the venue calls).
   */
  readonly breakdown?: { readonly deliveryMs: Summary; readonly requoteMs: Summary };
}

export interface BurstRun {
  readonly ticksPerSecond: number;
  readonly seconds: number;
  readonly minRequoteIntervalMs: number;
  /** Venue RPCs (every method, the runner's own mm_rpc_total) per second per symbol. */
  readonly rpcsPerSecondPerSymbol: number;
  /** Ladder replacements per second per symbol (creates / 2N, from the venue's events). */
  readonly requotesPerSecondPerSymbol: number;
  /** What MIN_REQUOTE_INTERVAL_MS allows: 1000 / it requotes a second, 4N RPCs each. */
  readonly allowedRequotesPerSecond: number;
  readonly allowedRpcsPerSecond: number;
}

export interface StreamingRun {
  readonly spec: StreamingSpec;
  readonly modes: LatencyMode[];
  readonly burst?: BurstRun;
  readonly problems: string[];
}

const START = "50000.00";
/** 0.02% up and back: every level moves, no new bid crosses an old ask. */
const OTHER = "50010.00";

const symbolName = (index: number) => `T${String(index + 1).padStart(2, "0")}-USDT`;

export async function runStreaming(spec: StreamingSpec): Promise<StreamingRun> {
  const names = Array.from({ length: spec.symbols }, (_, index) => symbolName(index));
  const problems: string[] = [];
  const modes: LatencyMode[] = [];
  let burst: BurstRun | undefined;
  const plan: { mode: string; env: Record<string, string>; steps: number }[] = [
    // The interval is long: only the pushed tick can requote within a step.
    {
      mode: "stream",
      // Debug: the tick requotes' own lines (priceReceivedAt, startedAt, ms) give the breakdown.
      env: { PRICE_FEED: "stream", UPDATE_INTERVAL_SECONDS: "10", LOG_LEVEL: "debug" },
      steps: spec.steps.stream,
    },
    {
      mode: "poll 1 s",
      env: { PRICE_FEED: "poll", UPDATE_INTERVAL_SECONDS: "1" },
      steps: spec.steps.poll1s,
    },
    {
      mode: "poll 10 s",
      env: { PRICE_FEED: "poll", UPDATE_INTERVAL_SECONDS: "10" },
      steps: spec.steps.poll10s,
    },
  ];
  for (const [index, each] of plan.entries()) {
    const venue = await startVenue({ host: "127.0.0.1", port: 0 });
    const kit = await startExchangeKit({
      prices: Object.fromEntries(names.map((name) => [name, START])),
    });
    const marketMakerId = `bench-stream-${index}`;
    const runner = startRunnerProcess({
      MATCHINGO_GRPC_ADDR: venue.address,
      MARKET_SYMBOLS: names.join(","),
      MARKET_MAKER_ID: marketMakerId,
      NUM_LEVELS: String(spec.levels),
      REQUOTE_MODE: "diff",
      PRICE_SOURCES: "binance",
      // One source: its first price is taken as it comes (issue 22 makes a lone source hold it
      // for FIRST_PRICE_CONFIRMATIONS rounds), so the start figures stay comparable.
      FIRST_PRICE_CONFIRMATIONS: "1",
      BINANCE_URL: kit.url,
      BINANCE_WS_URL: kit.binance.url,
      MIN_REQUOTE_INTERVAL_MS: String(spec.minRequoteIntervalMs),
      STATE_DIR: mkdtempSync(join(tmpdir(), "mm-bench-stream-")),
      METRICS_ADDR: "127.0.0.1:0",
      LOG_LEVEL: "info",
      ...each.env,
    });
    try {
      const ops = String(
        (
          await runner.waitForLog(
            (line) => typeof line.ops === "string",
            60_000,
            "the ops endpoint",
          )
        ).ops,
      );
      await waitUntil(
        () => names.every((name) => fullLadder(venue, name, spec.levels)),
        90_000,
        "every symbol's first ladder",
      );
      if (each.env.PRICE_FEED === "stream") {
        await waitUntil(
          async () => (await feedVias(ops)).every((via) => via === "stream"),
          30_000,
          "every symbol on the stream",
        );
      }
      const { sentAt, ...timed } = await measureSteps(venue, kit, names, spec.levels, each);
      modes.push(
        each.env.PRICE_FEED === "stream"
          ? { ...timed, breakdown: breakdownOf(runner.logs, sentAt) }
          : timed,
      );
      if (timed.missed > 0) problems.push(`${each.mode}: ${timed.missed} steps never quoted`);
      if (each.env.PRICE_FEED === "stream")
        burst = await measureBurst(venue, kit, ops, names, spec);
    } catch (error) {
      problems.push(`${each.mode}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      runner.child.kill("SIGTERM");
      await Promise.race([runner.exited, sleep(30_000)]);
      const left = names.reduce((sum, name) => sum + venue.liveOrders(name).length, 0);
      if (left > 0) problems.push(`${each.mode}: ${left} orders left after SIGTERM`);
      await kit.close();
      await venue.close();
    }
  }
  return { spec, modes, ...(burst ? { burst } : {}), problems };
}

/** Exactly N bids and N asks of ours, none older than `since` (the old ladder all gone). */
function fullLadder(venue: Venue, book: string, levels: number, fresh?: Set<string>): boolean {
  const live = venue.liveOrders(book);
  if (live.length !== 2 * levels) return false;
  const bids = live.filter((order) => order.side === "buy").length;
  if (bids !== levels) return false;
  return fresh === undefined || live.every((order) => fresh.has(order.orderId));
}

async function measureSteps(
  venue: Venue,
  kit: ExchangeKit,
  names: readonly string[],
  levels: number,
  mode: { mode: string; env: Record<string, string>; steps: number },
): Promise<LatencyMode & { sentAt: number[] }> {
  const samples: number[] = [];
  const sentWall: number[] = [];
  let missed = 0;
  const intervalMs = Number(mode.env.UPDATE_INTERVAL_SECONDS) * 1000;
  let price = START;
  for (let step = 0; step < mode.steps; step++) {
    // Poll steps land anywhere in the interval, as a market move does.
    if (mode.env.PRICE_FEED === "poll") await sleep(Math.random() * intervalMs);
    price = price === START ? OTHER : START;
    const fresh = new Map(names.map((name) => [name, new Set<string>()]));
    const done = new Map<string, number>();
    let sentAt = 0;
    const stop = venue.onEvent((event) => {
      if (event.type !== "order-created" && event.type !== "order-canceled") return;
      const at = performance.now();
      if (event.type === "order-created") fresh.get(event.book)?.add(event.orderId);
      if (done.has(event.book) || !fresh.has(event.book)) return;
      if (fullLadder(venue, event.book, levels, fresh.get(event.book)))
        done.set(event.book, at - sentAt);
    });
    sentAt = performance.now();
    sentWall.push(Date.now());
    for (const name of names) kit.setPrice(name, price, ["binance"]);
    try {
      await waitUntil(() => done.size === names.length, intervalMs * 2 + 10_000, "the new ladders");
    } catch {
      missed += names.length - done.size;
    }
    stop();
    samples.push(...done.values());
    // Let the last cancels settle before the next step.
    await sleep(mode.env.PRICE_FEED === "stream" ? 150 : 50);
  }
  return {
    mode: mode.mode,
    env: mode.env,
    steps: mode.steps,
    latencyMs: roundSummary(summarize(samples), 2),
    missed,
    sentAt: sentWall,
  };
}

/** Tick requotes within a second of a step, split into delivery and the requote itself. */
function breakdownOf(
  logs: readonly { readonly [field: string]: unknown }[],
  sentAt: readonly number[],
): { deliveryMs: Summary; requoteMs: Summary } {
  const delivery: number[] = [];
  const requote: number[] = [];
  for (const line of logs) {
    if (line.trigger !== "tick" || line.outcome !== "quoted") continue;
    const received = Number(line.priceReceivedAt);
    const step = sentAt.filter((at) => at <= received + 1).at(-1);
    if (step === undefined || received - step > 1000) continue;
    delivery.push(Number(line.startedAt) - step);
    requote.push(Number(line.ms));
  }
  return {
    deliveryMs: roundSummary(summarize(delivery), 2),
    requoteMs: roundSummary(summarize(requote), 2),
  };
}

async function measureBurst(
  venue: Venue,
  kit: ExchangeKit,
  ops: string,
  names: readonly string[],
  spec: StreamingSpec,
): Promise<BurstRun> {
  const ticksPerSecond = 100;
  let creates = 0;
  const stopCounting = venue.onEvent((event) => {
    if (event.type === "order-created") creates++;
  });
  const before = await rpcTotals(ops);
  const started = performance.now();
  const stops = names.map((name) =>
    kit.binance.pushRate(name, ticksPerSecond, (n) => (n % 2 === 0 ? START : OTHER)),
  );
  await sleep(spec.burstMs);
  for (const stop of stops) stop();
  const seconds = (performance.now() - started) / 1000;
  const after = await rpcTotals(ops);
  stopCounting();
  const rpcs = names.reduce(
    (sum, name) => sum + (after.get(name) ?? 0) - (before.get(name) ?? 0),
    0,
  );
  const allowedRequotesPerSecond = 1000 / spec.minRequoteIntervalMs;
  return {
    ticksPerSecond,
    seconds: Math.round(seconds * 100) / 100,
    minRequoteIntervalMs: spec.minRequoteIntervalMs,
    rpcsPerSecondPerSymbol: Math.round((rpcs / seconds / names.length) * 10) / 10,
    requotesPerSecondPerSymbol:
      Math.round((creates / (2 * spec.levels) / seconds / names.length) * 100) / 100,
    allowedRequotesPerSecond,
    allowedRpcsPerSecond: allowedRequotesPerSecond * 4 * spec.levels,
  };
}

/** mm_rpc_total summed per symbol (every method and code). */
async function rpcTotals(ops: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://${ops}/metrics`)).text();
  const totals = new Map<string, number>();
  for (const match of text.matchAll(/^mm_rpc_total\{([^}]*)\} (\S+)$/gm)) {
    const symbol = /symbol="([^"]*)"/.exec(match[1]!)?.[1];
    if (symbol === undefined) continue;
    totals.set(symbol, (totals.get(symbol) ?? 0) + Number(match[2]));
  }
  return totals;
}

async function feedVias(ops: string): Promise<(string | undefined)[]> {
  const status = (await (await fetch(`http://${ops}/status`)).json()) as {
    symbols: { feed?: { via: string } }[];
  };
  return status.symbols.map((symbol) => symbol.feed?.via);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
