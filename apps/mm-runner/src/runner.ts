import { PriceError, VenueError } from "@matchingo-mm/core";
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import type { ChainEvent } from "@matchingo-mm/price-sources";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import type { Logger } from "pino";
import { checkLadderAtPrice } from "./config/ladder-check.ts";
import type { Problem } from "./config/raw.ts";
import type { RunnerConfig } from "./config/types.ts";
import { boundedCancels } from "./journal/bounded-cancels.ts";
import { listJournalFiles, runnerStateDir } from "./journal/files.ts";
import { acquireLock } from "./journal/lock.ts";
import { type RetireResult, retireJournal } from "./journal/retire.ts";
import { restoreFromLedger } from "./ledger/restore.ts";
import {
  createOpsMetrics,
  type OpsMetrics,
  type OpsServer,
  type RunnerStatus,
  startOpsServer,
} from "./ops/index.ts";
import { buildPriceFeed, firstPrices, type PriceFeedSetup } from "./prices/build-feed.ts";
import { shutdownBudget } from "./shutdown-budget.ts";
import { createSupervisor, type Supervisor } from "./supervisor.ts";
import { bundleWorker } from "./workers/bundle.ts";

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
  readonly exitCode: 0 | 1 | 2;
}

export interface Runner {
  getStatus(): RunnerStatus;
  /** Stops requoting, cancels every order, closes everything. Idempotent. */
  shutdown(reason: string, exitCode?: 0 | 2): Promise<ShutdownReport>;
  /** Resolves when the runner must stop on its own (a symbol's first price shows a bad config). */
  readonly fatal: Promise<readonly Problem[]>;
}

export interface StartOptions {
  /** Aborts a start in progress (a signal during start). */
  readonly signal?: AbortSignal;
  /** How long the first price round may take. Default 5000 ms. */
  readonly firstPriceTimeoutMs?: number;
  /** Fault injection for tests: symbol → crash its worker after n cycles (once). */
  readonly crashAfterCycles?: ReadonlyMap<string, number>;
}

/**
 * Starts the market maker: lock, venue (embedded when none is configured), recovery of
 * an earlier run's orders, books, prices (with the sandbox's synthetic fallback), the
 * ladder check at the first price, the ops endpoint and one worker per symbol.
 */
export async function startRunner(
  config: RunnerConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<Runner> {
  const startedAt = Date.now();
  const runnerDir = runnerStateDir(config.stateDir, config.runnerId);
  const lock = acquireLock(runnerDir);
  const closers: Array<() => Promise<void> | void> = [() => lock.release()];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, "error while closing");
      }
    }
  };

  try {
    const started = await startParts();
    return started;
  } catch (error) {
    await closeAll();
    throw error;
  }

  async function startParts(): Promise<Runner> {
    // Bundled while the venue, the recovery and the first prices are under way.
    const workerBundle = bundleWorker().then(
      (bundle) => {
        logger.debug(
          { bundle: bundle.url.href, bytes: bundle.bytes, ms: bundle.ms },
          "worker entry bundled; workers start without a TypeScript loader",
        );
        return bundle.url;
      },
      (error: unknown) => {
        logger.warn(
          { err: error },
          "could not bundle the worker entry; workers start through tsx instead (slower, more memory)",
        );
        return undefined;
      },
    );
    // ------------------------------------------------------------ venue
    let venue: Venue | undefined;
    let address: string;
    if (config.matchingoGrpcAddr === undefined) {
      venue = await startVenue({
        host: "127.0.0.1",
        port: 0,
        logger: logger.child({ component: "venue" }),
      });
      closers.push(() => venue?.close());
      address = venue.address;
      logger.info(
        { venue: address },
        `embedded Matchingo venue on ${address} (no MATCHINGO_GRPC_ADDR); inspect it with any gRPC client, e.g. grpcurl -plaintext ${address} list`,
      );
    } else {
      address = config.matchingoGrpcAddr;
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

    // ------------------------------------------------------------ an earlier run's orders
    await recover(client, runnerDir, logger, options.signal);
    throwIfAborted(options.signal);

    // ------------------------------------------------------------ books
    await prepareBooks(client, config, logger);
    throwIfAborted(options.signal);

    // ------------------------------------------------------------ prices
    const symbols = config.symbols.map((symbol) => symbol.symbol);
    let supervisor: Supervisor | undefined;
    let metrics: OpsMetrics | undefined;
    const onChainEvent = (event: ChainEvent) =>
      chainEvent(
        event,
        logger,
        () => supervisor,
        () => metrics,
      );
    let prices: PriceFeedSetup = buildPriceFeed(config, { onChainEvent });
    const firstTimeout = options.firstPriceTimeoutMs ?? 5000;
    let first = await firstPrices(prices, symbols, firstTimeout);
    throwIfAborted(options.signal);
    let syntheticFallback = false;
    const anyPrice = () => [...first.values()].some((answer) => !(answer instanceof PriceError));
    if (venue !== undefined && !prices.offline && !anyPrice()) {
      syntheticFallback = true;
      logger.warn(
        { sources: prices.sources },
        "SANDBOX: no live price source can be reached; quoting on SYNTHETIC prices (a random walk, not a market). Set BINANCE_URL/COINBASE_URL/KRAKEN_URL or connect to the internet for live prices.",
      );
      prices = buildPriceFeed(config, { sources: ["synthetic"], onChainEvent });
      first = await firstPrices(prices, symbols, firstTimeout);
    }

    // ------------------------------------------------------------ the ladder at a real price
    const checked = new Set<string>();
    const problems: Problem[] = [];
    for (const symbol of config.symbols) {
      const answer = first.get(symbol.symbol);
      if (answer === undefined || answer instanceof PriceError) {
        logger.warn(
          { symbol: symbol.symbol, err: answer },
          `no first price for ${symbol.symbol} yet; its ladder is checked when one arrives`,
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

    // ------------------------------------------------------------ status, metrics, workers
    const synthetic = syntheticFallback || prices.offline;
    let shuttingDown = false;
    const getStatus = (): RunnerStatus => ({
      startedAt,
      now: Date.now(),
      venue: { address, embedded: venue !== undefined },
      synthetic,
      shuttingDown,
      symbols: supervisor?.statuses() ?? [],
    });
    if (config.metricsAddr !== "off") metrics = createOpsMetrics({ getStatus });

    let resolveFatal!: (problems: readonly Problem[]) => void;
    const fatal = new Promise<readonly Problem[]>((resolve) => {
      resolveFatal = resolve;
    });
    restoreFromLedger(config, runnerDir, logger);
    const budget = shutdownBudget(config.shutdownTimeoutMs);
    const bundled = await workerBundle;
    supervisor = createSupervisor({
      symbols: config.symbols,
      runnerDir,
      venue: {
        address,
        tls: config.matchingoTls,
        metadata: config.matchingoMetadata,
        deadlineMs: config.matchingoDeadlineMs,
        retryAttempts: config.matchingoRetryAttempts,
      },
      createOrderBook: config.createOrderBook,
      workerShutdownMs: budget.coreMs,
      logger,
      feed: prices.feed,
      gateway: client,
      ...(metrics ? { metrics } : {}),
      checked,
      onConfigProblems: (found) => resolveFatal(found),
      ...(options.crashAfterCycles ? { crashAfterCycles: options.crashAfterCycles } : {}),
      ...(bundled ? { workerBundle: bundled } : {}),
    });
    if (synthetic) {
      for (const symbol of symbols) {
        supervisor
          .tracker(symbol)
          ?.note(
            "synthetic-prices",
            syntheticFallback
              ? "SANDBOX: no live source reachable; prices are SYNTHETIC"
              : `prices come from ${prices.sources.join(", ")} (not a live market)`,
            "warn",
          );
      }
    }

    let ops: OpsServer | undefined;
    if (metrics) {
      try {
        ops = await startOpsServer({
          address: config.metricsAddr,
          getStatus,
          registry: metrics.registry,
          onError: (error) => logger.warn({ err: error }, "ops endpoint error"),
        });
        logger.info(
          { ops: ops.address },
          `ops endpoint on http://${ops.address} (/healthz /readyz /metrics /status, live page at /)`,
        );
      } catch (error) {
        // Quoting matters more than the dashboard: say so loudly and go on.
        logger.error(
          { err: error, metricsAddr: config.metricsAddr },
          "could not start the ops endpoint (METRICS_ADDR); running without it",
        );
      }
    }

    throwIfAborted(options.signal);
    supervisor.start();
    logger.info(
      { symbols, venue: address, sources: prices.sources },
      `quoting ${symbols.join(", ")} (one worker thread each)`,
    );

    let shutdownPromise: Promise<ShutdownReport> | undefined;
    const activeSupervisor = supervisor;
    return {
      getStatus,
      fatal,
      shutdown(reason, exitCode = 0) {
        shutdownPromise ??= (async () => {
          const shutdownStart = Date.now();
          shuttingDown = true;
          logger.info(`${reason}: stopping; cancelling every order`);
          const stops = await activeSupervisor.stop(budget.workersMs);
          const sweepBudget = Math.max(
            budget.sweepMs,
            config.shutdownTimeoutMs - (Date.now() - shutdownStart) - budget.marginMs,
          );
          const sweep = await sweepJournals(client, runnerDir, sweepBudget);
          await ops?.close();
          let cancelled = sweep.cancelled;
          let alreadyGone = sweep.alreadyGone;
          for (const stop of stops) {
            cancelled += stop.summary?.canceled ?? 0;
            alreadyGone += stop.summary?.alreadyGone ?? 0;
          }
          const failed = sweep.failed;
          await closeAll();
          const summary = { cancelled, alreadyGone, failed: failed.length };
          if (failed.length === 0) {
            logger.info(
              summary,
              `stopped: ${cancelled} orders cancelled, ${alreadyGone} already gone; the venue holds none of ours`,
            );
          } else {
            logger.error(
              { ...summary, orderIds: failed },
              `stopped: ${cancelled} orders cancelled, but ${failed.length} could NOT be cancelled; they stay in the journal (${runnerDir}) and are cancelled at the next start`,
            );
          }
          return { cancelled, alreadyGone, failed, exitCode: failed.length > 0 ? 1 : exitCode };
        })();
        return shutdownPromise;
      },
    };
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("start aborted");
}

/** Cancels what an earlier run (SIGKILL, power loss, a crash) left in the journals. */
async function recover(
  client: MatchingoClient,
  runnerDir: string,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<void> {
  const files = listJournalFiles(runnerDir);
  if (files.length === 0) return;
  let total: Pick<RetireResult, "cancelled" | "alreadyGone"> & { failed: number; torn: number } = {
    cancelled: 0,
    alreadyGone: 0,
    failed: 0,
    torn: 0,
  };
  const gateway = boundedCancels(client, SWEEP_CONCURRENCY);
  const results = await Promise.all(
    files.map((path) =>
      retireJournal(path, {
        gateway,
        concurrency: SWEEP_CONCURRENCY,
        ...(signal ? { signal } : {}),
      }),
    ),
  );
  for (const result of results) {
    total = {
      cancelled: total.cancelled + result.cancelled,
      alreadyGone: total.alreadyGone + result.alreadyGone,
      failed: total.failed + result.failed.length,
      torn: total.torn + (result.tornTail ? 1 : 0),
    };
    for (const failure of result.failed) {
      logger.warn(
        { err: failure.error, book: failure.entry.book, orderId: failure.entry.id },
        "could not cancel an order of an earlier run; it stays in the journal",
      );
    }
  }
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

/**
 * Cancels in flight at once over the main thread's one channel when it sweeps journals
 * (at start, at shutdown): every book at once, not one file after the other.
 */
const SWEEP_CONCURRENCY = 32;

/** The last word of a shutdown: whatever a journal still lists is cancelled now. */
async function sweepJournals(client: MatchingoClient, runnerDir: string, budgetMs: number) {
  const signal = AbortSignal.timeout(budgetMs);
  const gateway = boundedCancels(client, SWEEP_CONCURRENCY);
  let cancelled = 0;
  let alreadyGone = 0;
  const failed: string[] = [];
  const results = await Promise.all(
    listJournalFiles(runnerDir).map((path) =>
      retireJournal(path, { gateway, signal, concurrency: SWEEP_CONCURRENCY }),
    ),
  );
  for (const result of results) {
    cancelled += result.cancelled;
    alreadyGone += result.alreadyGone;
    failed.push(...result.failed.map((failure) => failure.entry.id));
  }
  return { cancelled, alreadyGone, failed };
}

/** Logs and records the price chain's changes of state, per symbol where they are. */
function chainEvent(
  event: ChainEvent,
  logger: Logger,
  supervisor: () => Supervisor | undefined,
  metrics: () => OpsMetrics | undefined,
): void {
  const symbol = "symbol" in event ? event.symbol : undefined;
  metrics()?.observe(symbol ?? "*", event);
  const log = symbol ? logger.child({ symbol }) : logger;
  const tracker = symbol ? supervisor()?.tracker(symbol) : undefined;
  switch (event.type) {
    case "failover":
    case "failback":
      log.warn(
        { from: event.from, to: event.to },
        `price source ${event.type}: ${event.from} → ${event.to}`,
      );
      tracker?.note(event.type, `price source ${event.from} → ${event.to}`, "warn");
      return;
    case "source-failed":
      log.warn(
        {
          source: event.source,
          err: event.error,
          failures: event.failures,
          retryInMs: event.retryInMs,
        },
        `price source ${event.source} failed (${event.error.kind}); next try in ${event.retryInMs} ms`,
      );
      return;
    case "source-recovered":
      log.info(
        { source: event.source, downMs: event.downMs },
        `price source ${event.source} is back`,
      );
      tracker?.note("source-recovered", `${event.source} is back`);
      return;
    case "jump-rejected":
      log.warn(
        { source: event.tick.source, price: event.tick.price, lastPrice: event.lastPrice },
        `price jump rejected: ${event.tick.source} says ${event.tick.price}, last ${event.lastPrice}`,
      );
      tracker?.note(
        "jump-rejected",
        `${event.tick.source} ${event.tick.price} rejected (last ${event.lastPrice})`,
        "warn",
      );
      return;
    case "jump-confirmed":
      log.info(
        { price: event.tick.price, lastPrice: event.lastPrice, confirmedBy: event.confirmedBy },
        "price jump confirmed by a second source",
      );
      return;
    case "all-sources-failed":
      log.debug({ err: event.error }, "no source gave a usable price this round");
      return;
  }
}
