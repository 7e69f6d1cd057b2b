import type { Logger } from "pino";
import type { Problem } from "./config/raw.ts";
import type { RunnerConfig } from "./config/types.ts";
import { startControl } from "./control/index.ts";
import { runnerStateDir } from "./journal/files.ts";
import { acquireLock } from "./journal/lock.ts";
import { openLedger } from "./ledger/ledger.ts";
import { ledgerFile } from "./ledger/path.ts";
import { restoreFromLedger } from "./ledger/restore.ts";
import { createSymbolBooks } from "./ledger/symbol-books.ts";
import { chainEventHandler } from "./log/chain-events.ts";
import { createOpsMetrics } from "./ops/index.ts";
import { feedEventHandler } from "./prices/feed-status.ts";
import { type Closers, closeAllOf } from "./runner/closers.ts";
import { buildFillStream, streamForWorkers } from "./runner/fill-stream.ts";
import { noteSyntheticPrices, takeFirstPrices } from "./runner/first-prices.ts";
import { checkLaddersAtFirstPrices } from "./runner/ladder-at-first-prices.ts";
import { startOps } from "./runner/ops-endpoint.ts";
import { prepareBooks } from "./runner/prepare-books.ts";
import { logQuotingStarted } from "./runner/quoting-line.ts";
import { retireEarlierRun } from "./runner/retire-earlier-run.ts";
import { shutdownOnce } from "./runner/shutdown.ts";
import { watchStateLoss } from "./runner/state-loss.ts";
import { type RunState, statusReader } from "./runner/status.ts";
import type { Runner, StartOptions } from "./runner/types.ts";
import { connectVenue } from "./runner/venue-connection.ts";
import { startSandboxTakers } from "./sandbox/takers.ts";
import { shutdownBudget } from "./shutdown-budget.ts";
import { createMemoryBook } from "./status/memory.ts";
import { createSymbolTracker, type SymbolTracker } from "./status/symbol-tracker.ts";
import { createSupervisor, type Supervisor } from "./supervisor.ts";

export type { ShutdownReport } from "./runner/shutdown-report.ts";
export { StartupConfigError } from "./runner/startup-config-error.ts";
export type { Runner, StartOptions } from "./runner/types.ts";

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
  const closeAll = closeAllOf(closers, logger);
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
    const state: RunState = {
      shuttingDown: false,
      synthetic: false,
      feedSetup: undefined,
      fillStream: undefined,
    };
    const memory = createMemoryBook();
    const getStatus = statusReader({ startedAt, venue, trackers, memory, state });
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
    state.synthetic = prices.synthetic;
    state.feedSetup = prices.setup;
    const checked = checkLaddersAtFirstPrices(config, prices.first, logger);
    noteSyntheticPrices(prices, trackers);

    let resolveFatal!: (problems: readonly Problem[]) => void;
    const fatal = new Promise<readonly Problem[]>((resolve) => {
      resolveFatal = resolve;
    });
    // One connection for the process: the workers report fills, the main thread books them.
    const ledger = openLedger(ledgerFile(runnerDir));
    closers.push(() => ledger.close());
    const stateLoss = watchStateLoss({
      runnerDir,
      lock,
      ledger,
      stateCheckMs: options.stateCheckMs,
    });
    closers.push(() => stateLoss.watch.stop());
    restoreFromLedger(config, ledger, logger);
    const books = createSymbolBooks(ledger, ({ symbol, what, error, fields }) =>
      logger.error({ symbol, err: error, ...fields }, `ledger: ${what}`),
    );
    const budget = shutdownBudget(config.shutdownTimeoutMs);
    let fillsTo: Supervisor | undefined;
    const stream = buildFillStream(config, venue, ledger, logger, {
      deliver: (symbol, fill) => fillsTo?.deliverFill(symbol, fill) ?? false,
      onLive: (live) => fillsTo?.setFillStreamLive(live),
    });
    state.fillStream = stream;
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
      onStateLost: stateLoss.onLost,
      ...(stream ? { fills: streamForWorkers(stream) } : {}),
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
    logQuotingStarted(config, venue.address, prices.setup, logger);

    return {
      getStatus,
      fatal,
      stateLost: stateLoss.lost,
      control,
      shutdown: shutdownOnce({
        config,
        logger,
        runnerDir,
        client: venue.client,
        budget,
        state,
        takers,
        supervisor,
        stateLoss,
        ops,
        closeAll,
      }),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
