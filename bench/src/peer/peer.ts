/**
 * Part 5, issue 20: our runner next to the program it replaces, the seed's own Go market
 * maker (`cmd/marketmaker`, built from the same Matchingo source as the server), on the real
 * Matchingo with its Kafka. One venue for the whole part; each configuration in turn on books
 * of its own, with a price server of its own, the same ladder (10 levels, spread 0.1%, step
 * 0.05%, size 0.01) and the same 2 s interval:
 *
 *   - `go`: the Go bot, one process per symbol (its configuration is one symbol);
 *   - `ours poll`: the built runner, `PRICE_FEED=poll` (the Go bot's trigger: a REST fetch
 *     per interval; one request for all its symbols);
 *   - `ours stream`: the built runner on a local Binance WebSocket, a tick per interval.
 *
 * Everything is read from the venue's side: the server logs every request it receives on
 * stderr, and each line is timed as it arrives here (its own timestamps are whole seconds).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import { startExchangeKit } from "@matchingo-mm/testkit";
import { buildRealMatchingo, type RealVenue, realVenueUnavailable } from "@matchingo-mm/venue/real";
import { cpuSeconds, memoryMiB } from "../scale/proc.ts";
import { startRunnerProcess } from "../scale/runner-process.ts";
import { round, roundSummary, type Summary, summarize } from "../stats.ts";
import {
  bookGap,
  callsByMethod,
  neverCancelled,
  type PriceEvent,
  quoteSamples,
  type VenueRequest,
} from "./analysis.ts";
import { startLoggedVenue } from "./logged-venue.ts";
import { startPeerPriceServer } from "./price-server.ts";

export type PeerBot = "go" | "ours poll" | "ours stream";

export interface PeerSpec {
  readonly sizes: readonly number[];
  readonly windowMs: number;
  readonly levels: number;
  readonly intervalSeconds: number;
}

export interface PeerConfigRun {
  readonly bot: PeerBot;
  readonly symbols: number;
  readonly processes: number;
  readonly windowMs: number;
  /** Price server's answer → the last CreateOrder of the new ladder (poll bots). */
  readonly fetchToQuoteMs?: Summary;
  /** Tick pushed → the innermost bid and ask sent (stream). */
  readonly tickToInnermostMs?: Summary;
  /** Tick pushed → the last CreateOrder of the new ladder (stream). */
  readonly tickToQuoteMs?: Summary;
  /** Price events in the window that did not bring a whole new ladder before the next. */
  readonly partialRequotes: number;
  /** Share of 5 ms samples with fewer than N of the bot's price levels on a side (0..1). */
  readonly bookGap: number;
  readonly gapSamples: number;
  /** gRPC requests per book per interval, all methods, and by method. */
  readonly callsPerCycle: number;
  readonly callsPerCycleByMethod: Record<string, number>;
  /** Exchange requests per interval (all symbols). */
  readonly exchangeRequestsPerCycle?: number;
  /** User + system CPU of the bot's process(es) over the window, seconds. */
  readonly cpuSeconds: number;
  readonly cpuPercentOfCore: number;
  /** VmHWM summed over the bot's processes at the window's end, MiB. */
  readonly peakRssMiB: number;
  readonly rssMiB: number;
  /** The bot's orders still on the venue after SIGTERM and exit (GetOrder on every id). */
  readonly ordersLeft: number;
  readonly exit: readonly (number | null)[];
  readonly problems: string[];
}

export interface PeerRun {
  readonly skipped?: string;
  readonly spec: PeerSpec;
  readonly sourceHash?: string;
  readonly runs: PeerConfigRun[];
  readonly problems: string[];
}

const PRICES: readonly [string, string] = ["50000.00000000", "50010.00000000"];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const PREFIX: Record<PeerBot, string> = { go: "G", "ours poll": "P", "ours stream": "S" };

async function waitUntil(probe: () => boolean | Promise<boolean>, ms: number, what: string) {
  const giveUpAt = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Bot {
  readonly pids: number[];
  stop(): Promise<(number | null)[]>;
  describe(): string;
}

function startGoBots(
  bin: string,
  venue: string,
  priceUrl: string,
  books: readonly { book: string; binance: string }[],
  spec: PeerSpec,
): Bot {
  const children: ChildProcess[] = books.map(({ book, binance }, index) =>
    spawn(bin, [], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        MATCHINGO_GRPC_ADDR: venue,
        MARKET_SYMBOL: book,
        EXTERNAL_SYMBOL: binance,
        PRICE_SOURCE_URL: priceUrl,
        NUM_LEVELS: String(spec.levels),
        BASE_SPREAD_PERCENT: "0.1",
        PRICE_STEP_PERCENT: "0.05",
        ORDER_SIZE: "0.01",
        UPDATE_INTERVAL_SECONDS: String(spec.intervalSeconds),
        MARKET_MAKER_ID: `go-${index + 1}`,
      },
      // It logs every order at debug on stdout: its own cost, written to /dev/null.
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const errors = children.map(() => "");
  for (const [index, child] of children.entries()) {
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      errors[index] = (errors[index] + chunk).slice(-2000);
    });
  }
  const exits = children.map(
    (child) =>
      new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.once("exit", (code) => resolve(code));
      }),
  );
  return {
    pids: children.map((child) => child.pid!),
    async stop() {
      for (const child of children) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        for (const child of children) child.kill("SIGKILL");
      }, 30_000);
      const codes = await Promise.all(exits);
      clearTimeout(timer);
      return codes;
    },
    describe: () => errors.filter(Boolean).join("\n"),
  };
}

function startOurs(
  venue: string,
  env: Record<string, string>,
  books: readonly string[],
  spec: PeerSpec,
  id: string,
): Bot {
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue,
    ...(books.length === 1 ? { MARKET_SYMBOL: books[0]! } : { MARKET_SYMBOLS: books.join(",") }),
    MARKET_MAKER_ID: id,
    NUM_LEVELS: String(spec.levels),
    BASE_SPREAD_PERCENT: "0.1",
    PRICE_STEP_PERCENT: "0.05",
    ORDER_SIZE: "0.01",
    UPDATE_INTERVAL_SECONDS: String(spec.intervalSeconds),
    PRICE_SOURCES: "binance",
    STATE_DIR: mkdtempSync(join(tmpdir(), "mm-bench-peer-")),
    METRICS_ADDR: "off",
    LOG_LEVEL: "info",
    ...env,
  });
  return {
    pids: [runner.pid],
    async stop() {
      runner.child.kill("SIGTERM");
      const timer = setTimeout(() => runner.child.kill("SIGKILL"), 30_000);
      const { code } = await runner.exited;
      clearTimeout(timer);
      return [code];
    },
    describe: () => runner.stderr().slice(-2000),
  };
}

/** Our orders still live on the venue: created on `books` by `requests` and never cancelled. */
export async function ordersLeft(
  client: MatchingoClient,
  requests: readonly VenueRequest[],
  books: readonly string[],
): Promise<number> {
  let left = 0;
  for (const book of books) {
    for (const id of neverCancelled(requests, book)) {
      if ((await client.getOrder(book, id)).state === "live") left++;
    }
  }
  return left;
}

async function runConfig(
  bot: PeerBot,
  size: number,
  venue: RealVenue,
  requests: VenueRequest[],
  client: MatchingoClient,
  marketmaker: string,
  spec: PeerSpec,
): Promise<PeerConfigRun> {
  const names = Array.from({ length: size }, (_, i) => {
    const base = `${PREFIX[bot]}${size}X${String(i + 1).padStart(2, "0")}`;
    return { book: `${base}-USDT`, binance: `${base}USDT` };
  });
  const books = names.map((name) => name.book);
  const problems: string[] = [];
  const intervalMs = spec.intervalSeconds * 1000;
  const ticks: PriceEvent[] = [];
  let answers: readonly PriceEvent[] = ticks;
  let exchangeRequests: () => number;
  let closePrices: () => Promise<void>;
  let started: Bot;
  let flip = 0;
  let tick: (() => void) | undefined;

  if (bot === "ours stream") {
    const kit = await startExchangeKit({
      prices: Object.fromEntries(books.map((book) => [book, PRICES[0].slice(0, -6)])),
    });
    closePrices = () => kit.close();
    exchangeRequests = () => kit.requests.binance;
    tick = () => {
      flip++;
      const price = PRICES[flip % 2]!.slice(0, -6);
      const at = performance.now();
      for (const book of books) kit.setPrice(book, price);
      ticks.push({ at, symbols: names.map((name) => name.binance) });
    };
    started = startOurs(
      venue.address,
      { PRICE_FEED: "stream", BINANCE_URL: kit.url, BINANCE_WS_URL: kit.binance.url },
      books,
      spec,
      `ours-stream-${size}`,
    );
  } else {
    const server = await startPeerPriceServer({
      symbols: names.map((name) => name.binance),
      prices: PRICES,
    });
    answers = server.answers;
    closePrices = () => server.close();
    exchangeRequests = () => server.answers.length;
    if (bot === "go") {
      // The Go bot does not create its book.
      for (const book of books) await client.ensureOrderBook(book);
      started = startGoBots(marketmaker, venue.address, server.url, names, spec);
    } else {
      started = startOurs(
        venue.address,
        { PRICE_FEED: "poll", BINANCE_URL: server.url },
        books,
        spec,
        `ours-poll-${size}`,
      );
    }
  }

  let ticker: NodeJS.Timeout | undefined;
  let exit: (number | null)[] = [];
  let from = 0;
  let to = 0;
  let cpu = 0;
  let memory = { rss: 0, peak: 0 };
  let requestsAtStart = 0;
  try {
    const createsOf = (book: string) =>
      requests.filter((r) => r.book === book && r.method === "CreateOrder").length;
    await waitUntil(
      () => books.every((book) => createsOf(book) >= 2 * spec.levels),
      120_000,
      `every book's first ladder (${bot}, ${size})`,
    );
    if (tick) ticker = setInterval(tick, intervalMs);
    await sleep(2 * intervalMs);
    const cpuAt = () => started.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const cpu0 = cpuAt();
    requestsAtStart = exchangeRequests();
    from = performance.now();
    await sleep(spec.windowMs);
    to = performance.now();
    cpu = cpuAt() - cpu0;
    const memories = started.pids.map((pid) => memoryMiB(pid));
    memory = {
      rss: memories.reduce((sum, m) => sum + m.rss, 0),
      peak: memories.reduce((sum, m) => sum + m.peak, 0),
    };
  } catch (error) {
    problems.push(
      `${error instanceof Error ? error.message : String(error)}\n${started.describe()}`,
    );
  } finally {
    if (ticker) clearInterval(ticker);
    exit = await started.stop();
    await closePrices();
  }
  const requestsInWindow = exchangeRequests() - requestsAtStart;
  // Let the last log lines of the stop arrive before counting what is left.
  await sleep(500);
  const left = await ordersLeft(client, requests, books);
  if (left > 0) problems.push(`${left} orders left after SIGTERM`);
  if (exit.some((code) => code !== 0)) problems.push(`exit codes ${exit.join(",")}`);

  const cycles = (to - from) / intervalMs;
  const all: { wholeMs: number; innermostMs: number }[] = [];
  let partial = 0;
  let gapShort = 0;
  let gapSamples = 0;
  const byMethod: Record<string, number> = {};
  const events = bot === "ours stream" ? ticks : answers;
  for (const { book, binance } of names) {
    const quotes = quoteSamples(events, requests, binance, book, spec.levels, from, to);
    all.push(...quotes.samples);
    partial += quotes.partial;
    const gap = bookGap(requests, book, spec.levels, from, to);
    gapShort += gap.short;
    gapSamples += gap.samples;
    for (const [method, count] of Object.entries(callsByMethod(requests, book, from, to)))
      byMethod[method] = (byMethod[method] ?? 0) + count;
  }
  const perCycle = (count: number) => (cycles > 0 ? count / cycles / size : Number.NaN);
  const callsPerCycleByMethod = Object.fromEntries(
    Object.entries(byMethod).map(([method, count]) => [method, round(perCycle(count), 2)]),
  );
  const whole = roundSummary(summarize(all.map((s) => s.wholeMs)));
  return {
    bot,
    symbols: size,
    processes: started.pids.length,
    windowMs: Math.round(to - from),
    ...(bot === "ours stream"
      ? {
          tickToInnermostMs: roundSummary(summarize(all.map((s) => s.innermostMs))),
          tickToQuoteMs: whole,
        }
      : { fetchToQuoteMs: whole }),
    partialRequotes: partial,
    bookGap: round(gapSamples === 0 ? Number.NaN : gapShort / gapSamples, 5),
    gapSamples,
    callsPerCycle: round(perCycle(Object.values(byMethod).reduce((a, b) => a + b, 0)), 2),
    callsPerCycleByMethod,
    exchangeRequestsPerCycle: round(cycles > 0 ? requestsInWindow / cycles : Number.NaN, 2),
    cpuSeconds: round(cpu, 2),
    cpuPercentOfCore: round((100 * cpu * 1000) / Math.max(1, to - from), 1),
    peakRssMiB: round(memory.peak, 1),
    rssMiB: round(memory.rss, 1),
    ordersLeft: left,
    exit,
    problems,
  };
}

export async function runPeer(spec: PeerSpec, log: (line: string) => void): Promise<PeerRun> {
  const unavailable = realVenueUnavailable();
  if (unavailable) return { skipped: unavailable, spec, runs: [], problems: [] };
  const { marketmaker, sourceHash } = await buildRealMatchingo({ log });
  const { venue, requests, client } = await startLoggedVenue("bench-observer", log);
  const runs: PeerConfigRun[] = [];
  const problems: string[] = [];
  try {
    for (const size of spec.sizes) {
      for (const bot of ["go", "ours poll", "ours stream"] as const) {
        log(`peer: ${bot}, ${size} symbol(s), ${spec.windowMs / 1000} s`);
        const run = await runConfig(bot, size, venue, requests, client, marketmaker, spec);
        runs.push(run);
        problems.push(...run.problems.map((p) => `${bot} ${size}: ${p}`));
      }
    }
  } finally {
    client.close();
    await venue.close();
  }
  return { spec, sourceHash, runs, problems };
}
