/**
 * Part 7, issue 21: what the trade stream saves. The built runner twice at once on the real
 * Matchingo with its Kafka, `FILL_FEED=kafka` beside `FILL_FEED=poll`, each on books of its
 * own, at 16 and at 64 symbols, with the interval (2 s), 10 levels and a price that
 * holds still (so nothing but fills moves our orders):
 *
 *   1. a quiet window after warm-up: the venue's requests per book per second (the server's
 *      request log, every method) and the runner's CPU seconds per second (`/proc`);
 *   2. a taker phase: a client takes our whole best level now and then, book after book,
 *      alternately bid and ask; fill-to-reaction is from the venue's answer to the taker to
 *      our refill CreateOrder on that book in the server's log (and, for kafka, the runner's
 *      own `mm_fill_reaction_seconds` beside it).
 *
 * Both runners run in the same windows, so they share whatever else the machine does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import { OrderSide, OrderType, TimeInForce } from "@matchingo-mm/grpc-client/proto";
import { startExchangeKit } from "@matchingo-mm/testkit";
import { buildRealMatchingo, type RealVenue, realVenueUnavailable } from "@matchingo-mm/venue/real";
import type { VenueRequest } from "../peer/analysis.ts";
import { startLoggedVenue } from "../peer/logged-venue.ts";
import { ordersLeft as ordersLeftOn } from "../peer/peer.ts";
import { cpuSeconds } from "../scale/proc.ts";
import { type RunnerProcess, startRunnerProcess } from "../scale/runner-process.ts";
import { round, roundSummary, type Summary, summarize } from "../stats.ts";
import { uniform } from "../tape.ts";
import { callRates, histogramQuantiles, reactions, type Take } from "./analysis.ts";

export type FillMode = "kafka" | "poll";
const MODES: readonly FillMode[] = ["kafka", "poll"];

export interface FillsSpec {
  readonly sizes: readonly number[];
  readonly levels: number;
  readonly intervalSeconds: number;
  /** After every book's first ladder (and the stream live), before the quiet window. */
  readonly warmupMs: number;
  /** The quiet window: calls and CPU. */
  readonly windowMs: number;
  /** The taker phase, and the mean time between two takes (over both runners' books). */
  readonly takerMs: number;
  readonly takeEveryMs: number;
}

export interface FillsConfigRun {
  readonly mode: FillMode;
  readonly symbols: number;
  /** Runner start → every book holding its first ladder. */
  readonly startupMs: number;
  readonly windowMs: number;
  /** Venue requests per book per second in the quiet window, all methods and by method. */
  readonly callsPerSymbolPerSecond: number;
  readonly callsPerSymbolPerSecondByMethod: Record<string, number>;
  /** The runner's user + system CPU (all threads) per second of the quiet window. */
  readonly cpuSecondsPerSecond: number;
  /** Takes that traded with this runner's best level. */
  readonly takes: number;
  /** Takes not made: our side of the book was empty, or the IOC traded nothing. */
  readonly takesSkipped: number;
  /** The take's answer → our refill CreateOrder (server log), ms. */
  readonly reactionMs: Summary;
  readonly reactionsMissed: number;
  /** Reactions that put an order back at the taken price. */
  readonly refillsAtTakenPrice: number;
  /** `mm_fill_reaction_seconds` (kafka: fill on the main thread → end of its requote), bucket bounds. */
  readonly metricsReaction?: { count: number; p50Seconds?: number; p99Seconds?: number };
  /** kafka: `/status.fills.state` at the end of the taker phase (`live`). */
  readonly streamState?: string;
  readonly ordersLeft: number;
  readonly exit: number | null;
  readonly problems: string[];
}

export interface FillsRun {
  readonly skipped?: string;
  readonly spec: FillsSpec;
  readonly sourceHash?: string;
  readonly runs: FillsConfigRun[];
  readonly problems: string[];
}

const PRICE = "50000.00";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function waitUntil(probe: () => boolean | Promise<boolean>, ms: number, what: string) {
  const giveUpAt = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface Ours {
  readonly mode: FillMode;
  readonly id: string;
  readonly books: string[];
  readonly runner: RunnerProcess;
  readonly stateDir: string;
  ops?: string;
}

function startOurs(
  mode: FillMode,
  size: number,
  venue: RealVenue,
  priceUrl: string,
  spec: FillsSpec,
): Ours {
  const letter = mode === "kafka" ? "K" : "P";
  const books = Array.from(
    { length: size },
    (_, i) => `${letter}${size}X${String(i + 1).padStart(2, "0")}-USDT`,
  );
  const id = `fills-${mode}-${size}`;
  const stateDir = mkdtempSync(join(tmpdir(), "mm-bench-fills-"));
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    MARKET_SYMBOLS: books.join(","),
    MARKET_MAKER_ID: id,
    NUM_LEVELS: String(spec.levels),
    BASE_SPREAD_PERCENT: "0.1",
    PRICE_STEP_PERCENT: "0.05",
    ORDER_SIZE: "0.01",
    UPDATE_INTERVAL_SECONDS: String(spec.intervalSeconds),
    PRICE_SOURCES: "binance",
    PRICE_FEED: "poll",
    BINANCE_URL: priceUrl,
    // One source and a price that never moves: trusted at once.
    FIRST_PRICE_CONFIRMATIONS: "1",
    STATE_DIR: stateDir,
    METRICS_ADDR: "127.0.0.1:0",
    LOG_LEVEL: "info",
    FILL_FEED: mode,
    ...(mode === "kafka" && venue.brokers
      ? { KAFKA_BROKERS: venue.brokers, KAFKA_TOPIC: venue.topic }
      : {}),
  });
  return { mode, id, books, runner, stateDir };
}

/** With several symbols each symbol's market maker is `<MARKET_MAKER_ID>-<symbol>`. */
function isOurs(ours: Ours, user: string): boolean {
  return user === ours.id || user.startsWith(`${ours.id}-`);
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.json();
}

async function ordersLeft(
  client: MatchingoClient,
  requests: readonly VenueRequest[],
  ours: Ours,
): Promise<number> {
  const mine = requests.filter(
    (r) => r.method !== "CreateOrder" || (r.user !== undefined && isOurs(ours, r.user)),
  );
  return ordersLeftOn(client, mine, ours.books);
}

/** Takes our whole best level on `book`, `ourSide` of it; undefined when there was none. */
async function take(
  client: MatchingoClient,
  book: string,
  ourSide: "buy" | "sell",
  orderId: string,
): Promise<Take | undefined> {
  const state = await client.raw.getOrderBookState({ name: book, depth: 1 });
  const level = (ourSide === "sell" ? state.asks : state.bids)[0];
  if (!level) return undefined;
  const answer = await client.raw.createOrder({
    orderBookName: book,
    orderId,
    side: ourSide === "sell" ? OrderSide.BUY : OrderSide.SELL,
    quantity: level.totalQuantity,
    price: level.price,
    orderType: OrderType.LIMIT,
    timeInForce: TimeInForce.IOC,
    stopPrice: "",
    ocoId: "",
    userAddress: "bench-taker",
  });
  const answeredAt = performance.now();
  if (Number(answer.filledQuantity) <= 0) return undefined;
  return { book, orderId, ourSide, price: level.price, answeredAt };
}

async function runSize(
  size: number,
  spec: FillsSpec,
  venue: RealVenue,
  requests: VenueRequest[],
  client: MatchingoClient,
  log: (line: string) => void,
): Promise<FillsConfigRun[]> {
  const kit = await startExchangeKit({
    prices: Object.fromEntries(
      MODES.flatMap((mode) =>
        Array.from(
          { length: size },
          (_, i) =>
            [
              `${mode === "kafka" ? "K" : "P"}${size}X${String(i + 1).padStart(2, "0")}-USDT`,
              PRICE,
            ] as const,
        ),
      ),
    ),
  });
  const startedAt = performance.now();
  const all = MODES.map((mode) => startOurs(mode, size, venue, kit.url, spec));
  const problems = new Map<FillMode, string[]>(MODES.map((mode) => [mode, []]));
  const startup = new Map<FillMode, number>();
  const cpu = new Map<FillMode, number>();
  const takes = new Map<FillMode, Take[]>(MODES.map((mode) => [mode, []]));
  const skipped = new Map<FillMode, number>(MODES.map((mode) => [mode, 0]));
  const metrics = new Map<FillMode, string>();
  const streamState = new Map<FillMode, string>();
  const exits = new Map<FillMode, number | null>();
  let from = 0;
  let to = 0;
  try {
    for (const ours of all) {
      ours.ops = (await ours.runner.waitForLog((l) => typeof l.ops === "string", 120_000, "ops"))
        .ops as string;
    }
    // Every book's first ladder, from the venue's side.
    const pending = new Set(all);
    const creates = new Map<string, number>();
    const countCreates = () => {
      creates.clear();
      for (const r of requests)
        if (r.method === "CreateOrder" && r.user !== undefined)
          creates.set(`${r.user} ${r.book}`, (creates.get(`${r.user} ${r.book}`) ?? 0) + 1);
    };
    const ladderOf = (ours: Ours, book: string) =>
      [...creates.entries()]
        .filter(([key]) => key.endsWith(` ${book}`) && isOurs(ours, key.split(" ")[0]!))
        .reduce((sum, [, count]) => sum + count, 0) >=
      2 * spec.levels;
    await waitUntil(
      () => {
        countCreates();
        for (const ours of pending) {
          if (ours.books.every((book) => ladderOf(ours, book))) {
            startup.set(ours.mode, performance.now() - startedAt);
            pending.delete(ours);
          }
        }
        return pending.size === 0;
      },
      240_000,
      `every book's first ladder (${size} symbols)`,
    ).catch((error) => {
      throw new Error(
        `${message(error)}: ${requests.length} requests logged, creates ${JSON.stringify(Object.fromEntries(creates))}`,
      );
    });
    const kafka = all.find((ours) => ours.mode === "kafka")!;
    await waitUntil(
      async () => {
        const status = (await getJson(`http://${kafka.ops}/status`).catch(() => undefined)) as
          | { fills?: { state?: string } }
          | undefined;
        return status?.fills?.state === "live";
      },
      60_000,
      "the kafka runner's trade stream live",
    );
    log(`fills: ${size} symbols quoting, warm-up ${spec.warmupMs / 1000} s`);
    await sleep(spec.warmupMs);

    // 1. The quiet window.
    const cpu0 = all.map((ours) => cpuSeconds(ours.runner.pid));
    from = performance.now();
    await sleep(spec.windowMs);
    to = performance.now();
    for (const [index, ours] of all.entries())
      cpu.set(ours.mode, cpuSeconds(ours.runner.pid) - cpu0[index]!);
    log(`fills: ${size} symbols, quiet window done; takers for ${spec.takerMs / 1000} s`);

    // 2. The takers: both runners' books in turn, each book bid and ask alternately.
    const queue = Array.from({ length: size }, (_, i) =>
      all.map((ours) => [ours, ours.books[i]!] as const),
    ).flat();
    const hits = new Map<string, number>();
    const takerEnd = performance.now() + spec.takerMs;
    // Seeded waits of 0.5 to 1.5 times the mean: a take lands anywhere in the runners'
    // interval, as a trade does (fixed waits would hit the poll runner at the same phase of
    // its cycle every time).
    const wait = uniform(21);
    for (let n = 0; performance.now() < takerEnd; n++) {
      const next = performance.now() + spec.takeEveryMs * (0.5 + wait());
      const [ours, book] = queue[n % queue.length]!;
      const count = hits.get(book) ?? 0;
      hits.set(book, count + 1);
      try {
        const taken = await take(
          client,
          book,
          count % 2 === 0 ? "sell" : "buy",
          `bench-take-${process.pid}-${size}-${n}`,
        );
        if (taken) takes.get(ours.mode)!.push(taken);
        else skipped.set(ours.mode, skipped.get(ours.mode)! + 1);
      } catch (error) {
        problems.get(ours.mode)!.push(`take on ${book}: ${message(error)}`);
      }
      await sleep(Math.max(0, next - performance.now()));
    }
    // The poll runner sees a fill at its next interval at the latest.
    await sleep(2 * spec.intervalSeconds * 1000 + 1_000);
    for (const ours of all) {
      const response = await fetch(`http://${ours.ops}/metrics`, {
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      metrics.set(ours.mode, (await response?.text()) ?? "");
      const status = (await getJson(`http://${ours.ops}/status`).catch(() => undefined)) as
        | { fills?: { state?: string } }
        | undefined;
      if (status?.fills?.state) streamState.set(ours.mode, status.fills.state);
    }
  } catch (error) {
    for (const ours of all)
      problems.get(ours.mode)!.push(`${message(error)}\n${ours.runner.stderr().slice(-2000)}`);
  } finally {
    await Promise.all(
      all.map(async (ours) => {
        ours.runner.child.kill("SIGTERM");
        const timer = setTimeout(() => ours.runner.child.kill("SIGKILL"), 30_000);
        exits.set(ours.mode, (await ours.runner.exited).code);
        clearTimeout(timer);
        rmSync(ours.stateDir, { recursive: true, force: true });
      }),
    );
    await kit.close();
  }
  // Let the last log lines of the stop arrive before counting what is left.
  await sleep(500);

  const runs: FillsConfigRun[] = [];
  for (const ours of all) {
    const own = problems.get(ours.mode)!;
    const left = await ordersLeft(client, requests, ours);
    if (left > 0) own.push(`${left} orders left after SIGTERM`);
    if (exits.get(ours.mode) !== 0) own.push(`exit code ${exits.get(ours.mode)}`);
    const rates = callRates(requests, ours.books, from, to);
    const reacted = reactions(takes.get(ours.mode)!, requests, (user) => isOurs(ours, user));
    const histogram = histogramQuantiles(metrics.get(ours.mode) ?? "", "mm_fill_reaction_seconds");
    const seconds = (to - from) / 1000;
    runs.push({
      mode: ours.mode,
      symbols: size,
      startupMs: Math.round(startup.get(ours.mode) ?? Number.NaN),
      windowMs: Math.round(to - from),
      callsPerSymbolPerSecond: round(rates.perSymbolPerSecond, 3),
      callsPerSymbolPerSecondByMethod: Object.fromEntries(
        Object.entries(rates.byMethod).map(([method, rate]) => [method, round(rate, 3)]),
      ),
      cpuSecondsPerSecond: round(
        seconds > 0 ? (cpu.get(ours.mode) ?? Number.NaN) / seconds : Number.NaN,
        3,
      ),
      takes: takes.get(ours.mode)!.length,
      takesSkipped: skipped.get(ours.mode)!,
      reactionMs: roundSummary(summarize(reacted.samples.map((s) => s.ms)), 1),
      reactionsMissed: reacted.missed,
      refillsAtTakenPrice: reacted.samples.filter((s) => s.samePrice).length,
      ...(ours.mode === "kafka"
        ? {
            metricsReaction: {
              count: histogram.count,
              p50Seconds: histogram.p50,
              p99Seconds: histogram.p99,
            },
          }
        : {}),
      ...(ours.mode === "kafka" ? { streamState: streamState.get(ours.mode) } : {}),
      ordersLeft: left,
      exit: exits.get(ours.mode) ?? null,
      problems: own,
    });
  }
  return runs;
}

export async function runFills(spec: FillsSpec, log: (line: string) => void): Promise<FillsRun> {
  const unavailable = realVenueUnavailable();
  if (unavailable) return { skipped: unavailable, spec, runs: [], problems: [] };
  const { sourceHash } = await buildRealMatchingo({ log });
  const { venue, requests, client } = await startLoggedVenue("bench-taker", log);
  const runs: FillsConfigRun[] = [];
  const problems: string[] = [];
  try {
    for (const size of spec.sizes) {
      log(`fills: kafka beside poll, ${size} symbols each`);
      const done = await runSize(size, spec, venue, requests, client, log);
      runs.push(...done);
      for (const run of done)
        problems.push(...run.problems.map((p) => `${run.mode} ${size}: ${p}`));
      // The log of a finished size is no longer needed (ids and books are per size).
      requests.length = 0;
    }
  } finally {
    client.close();
    await venue.close();
  }
  return { spec, sourceHash, runs, problems };
}
