import { PriceError, type TradeFill, VenueError } from "@matchingo-mm/core";
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import type { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import type { FeedEventListener } from "@matchingo-mm/price-sources";
import { startVenue } from "@matchingo-mm/venue";
import type { Logger } from "pino";
import { checkLadderAtPrice } from "./config/ladder-check.ts";
import type { Problem } from "./config/raw.ts";
import type { RunnerConfig } from "./config/types.ts";
import { type Control, startControl } from "./control/index.ts";
import { createEmbeddedStream } from "./fills/embedded-stream.ts";
import type { FillStreamStatus } from "./fills/fill-stream-status.ts";
import { orderRoutes } from "./fills/routes.ts";
import { createTradeStream, type TradeStream } from "./fills/trade-stream.ts";
import { runnerStateDir } from "./journal/files.ts";
import { acquireLock, identityOf } from "./journal/lock.ts";
import { retireAllJournals } from "./journal/retire-all.ts";
import { watchState } from "./journal/state-watch.ts";
import { type Ledger, openLedger } from "./ledger/ledger.ts";
import { ledgerFile } from "./ledger/path.ts";
import { restoreFromLedger } from "./ledger/restore.ts";
import { createSymbolBooks } from "./ledger/symbol-books.ts";
import { chainEventHandler } from "./log/chain-events.ts";
import {
  type AuditLine,
  type BookDepth,
  createOpsMetrics,
  type OpsMetrics,
  type OpsServer,
  type RunnerStatus,
  startOpsServer,
} from "./ops/index.ts";
import { buildPriceFeed, firstPrices, type PriceFeedSetup } from "./prices/build-feed.ts";
import { feedEventHandler, feedInfoOf } from "./prices/feed-status.ts";
import { bookDepth } from "./sandbox/depth.ts";
import { startSandboxTakers } from "./sandbox/takers.ts";
import { shutdownBudget } from "./shutdown-budget.ts";
import { createMemoryBook } from "./status/memory.ts";
import { createSymbolTracker, type SymbolTracker } from "./status/symbol-tracker.ts";
import { createSupervisor, type Supervisor } from "./supervisor.ts";
import { waitForVenue } from "./venue-reach.ts";

/** The configuration cannot work (found at start, against the venue or the first price). */
export class StartupConfigError extends Error {
  override readonly name = "StartupConfigError";
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(`${problems.length} configuration problem(s)`);
    this.problems = problems;
  }
}

export interface ShutdownReport {
  /** Orders confirmed cancelled (by the workers and the final sweep). */
  readonly cancelled: number;
  /** Orders already gone when cancelled (filled, cancelled before). */
  readonly alreadyGone: number;
  /** Ids that could not be cancelled: still in the journal, cancelled at the next start. */
  readonly failed: readonly string[];
}

export interface Runner {
  getStatus(): RunnerStatus;
  /** Stops requoting, cancels every order, closes everything. Idempotent. */
  shutdown(reason: string): Promise<ShutdownReport>;
  /** Resolves when the runner must stop on its own (a symbol's first price shows a bad config). */
  readonly fatal: Promise<readonly Problem[]>;
  /**
   * Resolves when the state folder, or a file of it the run holds (lock, ledger, a journal),
   * vanished or was replaced: the message names it. The run must stop (exit 1): what it
   * journals is lost with the folder. Quotes stop at once (a journal that is not ours
   * refuses every new order); `shutdown` cancels every order from the workers' memory.
   */
  readonly stateLost: Promise<string>;
  /** Operator control (pause, resume, kill switch, live parameters, SIGHUP reload). */
  readonly control: Control;
}

export interface StartOptions {
  /** Aborts a start in progress (a signal during start). */
  readonly signal?: AbortSignal;
  /** How long the first price round may take. Default 5000 ms. */
  readonly firstPriceTimeoutMs?: number;
  /** How often the state folder is checked (journal/state-watch.ts). Default 1000 ms. */
  readonly stateCheckMs?: number;
}

/** What is closed at the end, last opened first. */
type Closers = Array<() => Promise<void> | void>;

/**
 * Starts the market maker, one named step after the other: the state lock, the venue
 * (embedded when none is configured), the retirement of an earlier run's orders, the
 * books, the first prices (with the sandbox's synthetic fallback) and the ladder check at
 * them, the ops endpoint, and one worker per symbol.
 */
export async function startRunner(
  config: RunnerConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<Runner> {
  const startedAt = Date.now();
  const runnerDir = runnerStateDir(config.stateDir, config.runnerId);
  const lock = await acquireLock(runnerDir);
  const closers: Closers = [() => lock.release()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, "error while closing");
      }
    }
  };
  const checkAborted = () => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("start aborted");
  };
  /** Each step of the start is followed by a look at the signal. */
  const step = <T>(value: T): T => {
    checkAborted();
    return value;
  };

  try {
    const venue = await connectVenue(config, logger, closers, options.signal);
    step(await retireEarlierRun(venue.client, runnerDir, logger, options.signal));
    step(await prepareBooks(venue.client, config, logger));

    const trackers = new Map<string, SymbolTracker>(
      config.symbols.map((symbol) => [symbol.symbol, createSymbolTracker(symbol)]),
    );
    let shuttingDown = false;
    // Known once the first prices are in; the ops endpoint starts only after that.
    let synthetic = false;
    let feedSetup: PriceFeedSetup | undefined;
    let fillStream: TradeStream | undefined;
    const memory = createMemoryBook();
    const getStatus = (): RunnerStatus => {
      const now = Date.now();
      return {
        startedAt,
        now,
        venue: { address: venue.address, embedded: venue.embedded },
        fills: fillStream?.status() ?? POLLED_FILLS,
        synthetic,
        shuttingDown,
        memory: memory.read(),
        symbols: [...trackers.values()].map((tracker) => {
          const snapshot = tracker.snapshot();
          const status = venue.embedded
            ? { ...snapshot, depth: venue.depth(snapshot.book, snapshot.marketMakerId) }
            : snapshot;
          return feedSetup
            ? { ...status, feed: feedInfoOf(feedSetup, status.symbol, status.price, now) }
            : status;
        }),
      };
    };
    const metrics = config.metricsAddr === "off" ? undefined : createOpsMetrics({ getStatus });
    const onChainEvent = chainEventHandler({ logger, trackers, ...(metrics ? { metrics } : {}) });
    const onFeedEvent = feedEventHandler({ logger, trackers });
    const prices = await takeFirstPrices(
      config,
      logger,
      venue.embedded,
      { onChainEvent, onFeedEvent },
      options,
    );
    // The streams (if any) close at shutdown once the workers stopped (closers run after).
    closers.push(() => prices.setup.close());
    checkAborted();
    synthetic = prices.synthetic;
    feedSetup = prices.setup;
    const checked = checkLaddersAtFirstPrices(config, prices.first, logger);
    noteSyntheticPrices(prices, trackers);

    let resolveFatal!: (problems: readonly Problem[]) => void;
    const fatal = new Promise<readonly Problem[]>((resolve) => {
      resolveFatal = resolve;
    });
    // One connection for the process: the workers report fills, the main thread books them.
    const ledger = openLedger(ledgerFile(runnerDir));
    closers.push(() => ledger.close());
    let lostState: string | undefined;
    let resolveStateLost!: (message: string) => void;
    const stateLost = new Promise<string>((resolve) => {
      resolveStateLost = resolve;
    });
    const onStateLost = (message: string) => {
      if (lostState !== undefined) return;
      lostState = message;
      resolveStateLost(message);
    };
    const watch = watchState({
      paths: [
        { path: runnerDir, what: "state folder", identity: lock.identity.dir },
        { path: lock.path, what: "state lock", identity: lock.identity.lockFile },
        { path: ledger.path, what: "ledger", identity: identityOf(ledger.path) },
      ],
      ...(options.stateCheckMs === undefined ? {} : { intervalMs: options.stateCheckMs }),
      onLost: onStateLost,
    });
    closers.push(() => watch.stop());
    restoreFromLedger(config, ledger, logger);
    const books = createSymbolBooks(ledger, ({ symbol, what, error, fields }) =>
      logger.error({ symbol, err: error, ...fields }, `ledger: ${what}`),
    );
    const budget = shutdownBudget(config.shutdownTimeoutMs);
    let fillsTo: Supervisor | undefined;
    fillStream = buildFillStream(config, venue, ledger, logger, {
      deliver: (symbol, fill) => fillsTo?.deliverFill(symbol, fill) ?? false,
      onLive: (live) => fillsTo?.setFillStreamLive(live),
    });
    const stream = fillStream;
    const supervisor = createSupervisor({
      symbols: config.symbols,
      trackers,
      runnerDir,
      venue: { deadlineMs: config.matchingoDeadlineMs },
      createOrderBook: config.createOrderBook,
      workerShutdownMs: budget.coreMs,
      logger,
      feed: prices.setup.feed,
      gateway: venue.client,
      ...(metrics ? { metrics } : {}),
      memory,
      books,
      checked,
      onConfigProblems: (found) => resolveFatal(found),
      onStateLost,
      ...(stream
        ? {
            fills: {
              live: () => stream.status().state === "live",
              settle: (key: string) => stream.settle(key),
              redeliver: (symbol: string) => stream.redeliver(symbol),
              readToEnd: (signal: AbortSignal) => stream.readToEnd(signal),
            },
          }
        : {}),
    });
    fillsTo = supervisor;
    if (stream) {
      // Stopped after the workers (their last fills are booked), before the ledger closes.
      closers.push(() => stream.stop());
      stream.start();
    }
    const control = startControl({ supervisor, config, logger });
    const ops = metrics ? await startOps(config, metrics, getStatus, logger, control) : undefined;

    checkAborted();
    supervisor.start();
    const takers =
      venue.embedded && config.sandboxTakers
        ? startSandboxTakers(config, venue.address, trackers, logger)
        : undefined;
    const symbols = config.symbols.map((symbol) => symbol.symbol);
    const feedKind = prices.setup.streaming
      ? `streaming prices (${config.priceMode}, ${config.priceType}), REST while a stream is down`
      : "polling prices over REST";
    logger.info(
      {
        symbols,
        venue: venue.address,
        sources: prices.setup.sources,
        priceFeed: prices.setup.streaming ? "stream" : "poll",
      },
      `quoting ${symbols.join(", ")} (one worker thread each), ${feedKind}`,
    );

    let stopped: Promise<ShutdownReport> | undefined;
    const shutdown = async (reason: string): Promise<ShutdownReport> => {
      const shutdownStart = Date.now();
      shuttingDown = true;
      logger.info(`${reason}: stopping; cancelling every order`);
      await takers?.stop();
      const stops = await supervisor.stop(budget.workersMs);
      const sweepMs = Math.max(
        budget.sweepMs,
        config.shutdownTimeoutMs - (Date.now() - shutdownStart) - budget.marginMs,
      );
      // A state folder that is no longer ours holds no journal of this run (or another's):
      // what the workers could not cancel from memory is reported, not swept.
      watch.check();
      const sweep =
        lostState === undefined
          ? await retireAllJournals(venue.client, runnerDir, AbortSignal.timeout(sweepMs))
          : undefined;
      await ops?.close();
      await closeAll();
      const report: ShutdownReport = {
        cancelled: stops.reduce(
          (sum, stop) => sum + (stop.summary?.canceled ?? 0),
          sweep?.cancelled ?? 0,
        ),
        alreadyGone: stops.reduce(
          (sum, stop) => sum + (stop.summary?.alreadyGone ?? 0),
          sweep?.alreadyGone ?? 0,
        ),
        failed: sweep
          ? sweep.failed.map((failure) => failure.entry.id)
          : stops.flatMap((stop) => [...(stop.summary?.failed ?? [])]),
      };
      logShutdown(report, runnerDir, logger, lostState !== undefined);
      return report;
    };
    return {
      getStatus,
      fatal,
      stateLost,
      control,
      shutdown(reason) {
        stopped ??= shutdown(reason);
        return stopped;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** `/status` without a trade stream. */
const POLLED_FILLS: FillStreamStatus = {
  mode: "poll",
  state: "down",
  since: 0,
  detail: "FILL_FEED=poll: fills are learned by GetOrder polls",
  lastOffset: {},
  lag: 0,
  garbage: 0,
  pending: 0,
  outages: 0,
};

/**
 * Where fills come from: the venue's Kafka topic (FILL_FEED=kafka), the embedded venue's
 * own stream in process (the sandbox without brokers), or nowhere (polls).
 */
function buildFillStream(
  config: RunnerConfig,
  venue: VenueConnection,
  ledger: Ledger,
  logger: Logger,
  to: {
    deliver: (symbol: string, fill: TradeFill) => boolean;
    onLive: (live: boolean) => void;
  },
): TradeStream | undefined {
  const route = orderRoutes(config.symbols);
  const streamLogger = logger.child({ component: "trade-stream" });
  if (config.fillFeed === "kafka" && config.kafkaBrokers) {
    logger.info(
      { topic: config.kafkaTopic, brokers: config.kafkaBrokers.join(",") },
      `fills from the venue's trade stream on Kafka (${config.kafkaTopic}); polls reconcile`,
    );
    return createTradeStream({
      brokers: config.kafkaBrokers,
      topic: config.kafkaTopic,
      clientId: config.kafkaClientId,
      runnerId: config.runnerId,
      ledger,
      route,
      deliver: to.deliver,
      onLive: to.onLive,
      logger: streamLogger,
    });
  }
  if (venue.onDone) {
    logger.info("fills from the embedded venue's trade stream, in process; polls reconcile");
    return createEmbeddedStream({
      onDone: venue.onDone,
      route,
      deliver: to.deliver,
      logger: streamLogger,
    });
  }
  logger.info("fills learned by polling the venue (FILL_FEED=poll)");
  return undefined;
}

interface VenueConnection {
  readonly address: string;
  readonly embedded: boolean;
  /** The book by level, ours apart: the embedded venue only (read in-process), else undefined. */
  depth(book: string, ourAddress: string): BookDepth | undefined;
  /** The embedded venue's in-process trade stream (the sandbox). */
  readonly onDone?: (listener: (message: DoneMessage) => void) => () => void;
  /** The main thread's own client: retires journals, prepares books. */
  readonly client: MatchingoClient;
}

/** The configured venue, or an embedded one on 127.0.0.1 when none is (the sandbox). */
async function connectVenue(
  config: RunnerConfig,
  logger: Logger,
  closers: Closers,
  signal: AbortSignal | undefined,
): Promise<VenueConnection> {
  let address = config.matchingoGrpcAddr;
  let depth: VenueConnection["depth"] = () => undefined;
  let onDone: VenueConnection["onDone"];
  if (address === undefined) {
    const venue = await startVenue({
      host: "127.0.0.1",
      port: 0,
      logger: logger.child({ component: "venue" }),
      // With brokers the sandbox's trades go through Kafka, as the real server's do.
      ...(config.kafkaBrokers && config.fillFeed === "kafka"
        ? { kafka: { brokers: config.kafkaBrokers, topic: config.kafkaTopic } }
        : {}),
    });
    onDone = config.fillFeed === "kafka" && config.kafkaBrokers ? undefined : venue.onDone;
    closers.push(() => venue.close());
    address = venue.address;
    depth = (book, ourAddress) => bookDepth(venue.liveOrders(book), ourAddress);
    logger.info(
      { venue: address },
      `embedded Matchingo venue on ${address} (no MATCHINGO_GRPC_ADDR); inspect it with any gRPC client, e.g. grpcurl -plaintext ${address} list`,
    );
  } else {
    logger.info(
      { venue: address, tls: config.matchingoTls },
      `using the Matchingo venue at ${address}`,
    );
  }
  const client = createMatchingoClient({
    address,
    tls: config.matchingoTls,
    metadata: config.matchingoMetadata,
    deadlineMs: config.matchingoDeadlineMs,
    retry: { maxAttempts: config.matchingoRetryAttempts },
    userAddress: config.runnerId,
  });
  closers.push(() => client.close());
  if (config.matchingoGrpcAddr !== undefined) {
    await waitForVenue({
      client,
      address,
      book: config.symbols[0]?.book ?? "test",
      timeoutMs: config.venueStartTimeoutMs,
      logger,
      ...(signal ? { signal } : {}),
    });
  }
  return {
    address,
    embedded: config.matchingoGrpcAddr === undefined,
    client,
    depth,
    ...(onDone ? { onDone } : {}),
  };
}

/** Cancels what an earlier run (SIGKILL, power loss, a crash) left in the journals. */
async function retireEarlierRun(
  client: MatchingoClient,
  runnerDir: string,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<void> {
  const retired = await retireAllJournals(client, runnerDir, signal);
  for (const { path, lines } of retired.unreadable) {
    logger.warn(
      { journal: path, unreadableLines: lines },
      `journal ${path}: ${lines} line${lines === 1 ? "" : "s"} could not be read (corrupt) and ${lines === 1 ? "was" : "were"} dropped; an order listed only there is not cancelled by this start: check that book on the venue`,
    );
  }
  for (const failure of retired.failed) {
    logger.warn(
      { err: failure.error, book: failure.entry.book, orderId: failure.entry.id },
      "could not cancel an order of an earlier run; it stays in the journal",
    );
  }
  const total = {
    cancelled: retired.cancelled,
    alreadyGone: retired.alreadyGone,
    failed: retired.failed.length,
    torn: retired.torn,
  };
  if (total.cancelled + total.alreadyGone + total.failed > 0 || total.torn > 0) {
    logger.warn(
      total,
      `recovered the journal of an earlier run that did not stop cleanly: ${total.cancelled} orders cancelled, ${total.alreadyGone} already gone${total.failed > 0 ? `, ${total.failed} could not be cancelled yet` : ""}`,
    );
  }
}

async function prepareBooks(client: MatchingoClient, config: RunnerConfig, logger: Logger) {
  const problems: Problem[] = [];
  for (const symbol of config.symbols) {
    try {
      if (config.createOrderBook) {
        const { created } = await client.ensureOrderBook(symbol.book);
        logger.info(
          { book: symbol.book },
          created ? `created book ${symbol.book}` : `book ${symbol.book} exists`,
        );
      } else if ((await client.getBook(symbol.book)) === undefined) {
        problems.push({
          name: "CREATE_ORDER_BOOK",
          value: "false",
          message: `the venue has no book ${JSON.stringify(symbol.book)} (for ${symbol.symbol}); create it, or let the runner (CREATE_ORDER_BOOK=true)`,
        });
      }
    } catch (error) {
      if (error instanceof VenueError && error.kind === "rejected") throw error;
      // The venue may be down at start: the workers keep trying (and create the book).
      logger.warn(
        { err: error, book: symbol.book },
        "could not prepare the book yet; the worker will retry",
      );
    }
  }
  if (problems.length > 0) throw new StartupConfigError(problems);
}

interface FirstPrices {
  readonly setup: PriceFeedSetup;
  readonly first: Awaited<ReturnType<typeof firstPrices>>;
  /** Not a live market: the sandbox's fallback, or sources configured as synthetic. */
  readonly synthetic: boolean;
  /** No live source could be reached and the sandbox fell back to synthetic prices. */
  readonly fallback: boolean;
}

/**
 * The price feed and its first round. With the embedded venue (the sandbox) and no live
 * source reachable, the feed is rebuilt on synthetic prices, loudly.
 */
async function takeFirstPrices(
  config: RunnerConfig,
  logger: Logger,
  embeddedVenue: boolean,
  listeners: {
    readonly onChainEvent: ReturnType<typeof chainEventHandler>;
    readonly onFeedEvent: FeedEventListener;
  },
  options: StartOptions,
): Promise<FirstPrices> {
  const symbols = config.symbols.map((symbol) => symbol.symbol);
  const timeoutMs = options.firstPriceTimeoutMs ?? 5000;
  const setup = buildPriceFeed(config, listeners);
  const first = await firstPrices(setup, symbols, timeoutMs);
  // A price not trusted yet (one source, not yet confirmed) still shows a live source answers.
  const anyPrice = [...first.values()].some(
    (answer) => !(answer instanceof PriceError) || answer.kind === "untrusted",
  );
  if (!embeddedVenue || setup.offline || anyPrice || options.signal?.aborted) {
    return { setup, first, synthetic: setup.offline, fallback: false };
  }
  logger.warn(
    { sources: setup.sources },
    "SANDBOX: no live price source can be reached; quoting on SYNTHETIC prices (a random walk, not a market). Set BINANCE_URL/COINBASE_URL/KRAKEN_URL or connect to the internet for live prices.",
  );
  // The live feed's streams (never started: the first round is REST) are dropped with it.
  setup.close();
  const synthetic = buildPriceFeed(config, { ...listeners, sources: ["synthetic"] });
  return {
    setup: synthetic,
    first: await firstPrices(synthetic, symbols, timeoutMs),
    synthetic: true,
    fallback: true,
  };
}

/**
 * The ladder of every symbol with a first price, checked at that price: the symbols
 * checked (the others are checked by the supervisor when their first price comes).
 */
function checkLaddersAtFirstPrices(
  config: RunnerConfig,
  first: FirstPrices["first"],
  logger: Logger,
): Set<string> {
  const checked = new Set<string>();
  const problems: Problem[] = [];
  for (const symbol of config.symbols) {
    const answer = first.get(symbol.symbol);
    if (answer === undefined || answer instanceof PriceError) {
      const untrusted = answer?.kind === "untrusted";
      logger.warn(
        { symbol: symbol.symbol, err: answer },
        untrusted
          ? `no trusted first price for ${symbol.symbol} yet (${answer.message}); nothing is quoted until one is, and its ladder is checked then`
          : `no first price for ${symbol.symbol} yet; its ladder is checked when one arrives`,
      );
      continue;
    }
    checked.add(symbol.symbol);
    problems.push(...checkLadderAtPrice(symbol, answer.price));
    logger.info(
      { symbol: symbol.symbol, price: answer.price, source: answer.source },
      `first price of ${symbol.symbol}: ${answer.price} (${answer.source})`,
    );
  }
  if (problems.length > 0) throw new StartupConfigError(problems);
  return checked;
}

function noteSyntheticPrices(prices: FirstPrices, trackers: ReadonlyMap<string, SymbolTracker>) {
  if (!prices.synthetic) return;
  const note = prices.fallback
    ? "SANDBOX: no live source reachable; prices are SYNTHETIC"
    : `prices come from ${prices.setup.sources.join(", ")} (not a live market)`;
  for (const tracker of trackers.values()) tracker.note("synthetic-prices", note, "warn");
}

/** The ops endpoint; quoting matters more than the dashboard, so a failure only warns. */
async function startOps(
  config: RunnerConfig,
  metrics: OpsMetrics,
  getStatus: () => RunnerStatus,
  logger: Logger,
  control: Control,
): Promise<OpsServer | undefined> {
  try {
    const ops = await startOpsServer({
      address: config.metricsAddr,
      getStatus,
      registry: metrics.registry,
      allowedHosts: config.opsAllowedHosts,
      maxEventClients: config.opsMaxEventClients,
      onError: (error) => logger.warn({ err: error }, "ops endpoint error"),
      // The control API exists only with a token; every call writes one audit line.
      ...(config.controlToken === undefined
        ? {}
        : {
            control: {
              token: config.controlToken,
              runner: control,
              audit: (line) =>
                logger[line.outcome === "ok" ? "info" : "warn"](
                  { audit: line },
                  `control ${line.action}${line.symbol ? ` ${line.symbol}` : ""}: ${line.outcome}${auditReason(line)}${line.count === undefined ? "" : ` (${line.count} more from ${line.client})`}`,
                ),
            },
          }),
    });
    logger.info(
      { ops: ops.address, control: config.controlToken !== undefined },
      `ops endpoint on http://${ops.address} (/healthz /readyz /metrics /status, live page at /)${
        config.controlToken === undefined
          ? "; control API off (set CONTROL_TOKEN to turn it on)"
          : `; control API on at http://${ops.address}/control (Bearer CONTROL_TOKEN)`
      }`,
    );
    return ops;
  } catch (error) {
    logger.error(
      { err: error, metricsAddr: config.metricsAddr },
      "could not start the ops endpoint (METRICS_ADDR); running without it",
    );
    return undefined;
  }
}

/** Why a control call was refused, for its log line: the problems or the error it answered. */
function auditReason(line: AuditLine): string {
  if (line.outcome === "ok") return "";
  const detail = line.detail as { problems?: unknown; error?: unknown } | undefined;
  const reasons = Array.isArray(detail?.problems)
    ? detail.problems.map(String)
    : typeof detail?.error === "string"
      ? [detail.error]
      : [];
  return reasons.length === 0 ? "" : ` (${reasons.join("; ")})`;
}

function logShutdown(
  report: ShutdownReport,
  runnerDir: string,
  logger: Logger,
  stateLost: boolean,
): void {
  const { cancelled, alreadyGone, failed } = report;
  const summary = { cancelled, alreadyGone, failed: failed.length };
  if (failed.length === 0) {
    logger.info(
      summary,
      `stopped: ${cancelled} orders cancelled, ${alreadyGone} already gone; none of the orders we placed is left on the venue`,
    );
  } else {
    logger.error(
      { ...summary, orderIds: failed },
      stateLost
        ? `stopped: ${cancelled} orders cancelled, but ${failed.length} could NOT be cancelled, and the journal that listed them is gone with ${runnerDir}: cancel them on the venue by hand`
        : `stopped: ${cancelled} orders cancelled, but ${failed.length} could NOT be cancelled; they stay in the journal (${runnerDir}) and are cancelled at the next start`,
    );
  }
}
