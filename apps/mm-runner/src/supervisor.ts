import { Worker } from "node:worker_threads";
import type { PriceFeed, QuoteParamsInput, RiskPatch, TradeFill } from "@matchingo-mm/core";
import type { Logger } from "pino";
import type { Problem } from "./config/raw.ts";
import type { SymbolConfig } from "./config/types.ts";
import { journalPath } from "./journal/files.ts";
import { retireJournal } from "./journal/retire.ts";
import type { SymbolBooks } from "./ledger/symbol-books.ts";
import { createEventLog } from "./log/event-log.ts";
import type { OpsMetrics } from "./metrics/ops-metrics.ts";
import type { MemoryBook } from "./status/memory.ts";
import type { SymbolStatus } from "./status/runner-status.ts";
import type { SymbolTracker } from "./status/symbol-tracker.ts";
import { workerEntry } from "./workers/host/entry.ts";
import { workerExecArgv } from "./workers/host/exec-argv.ts";
import { forwardTicks, priceFor } from "./workers/host/price-link.ts";
import { nextRestart } from "./workers/host/restart-policy.ts";
import {
  type ControlMessage,
  type ControlOptions,
  createSlotControl,
  type ParamsChange,
  type SymbolParamsChanged,
  type SymbolPaused,
  type SymbolResumed,
  WorkerUnavailableError,
} from "./workers/host/slot-control.ts";
import { createStartRamp } from "./workers/host/start-ramp.ts";
import {
  createCallSlots,
  createVenueApi,
  PHASE_CONCURRENCY,
  PROCESS_CONCURRENCY,
  type SharedVenue,
} from "./workers/host/venue-api.ts";
import type { WireEvent } from "./workers/wire/events.ts";
import {
  type ControlResult,
  type HostApi,
  type StopSummaryWire,
  VENUE_CALLS,
  type WorkerApi,
  type WorkerInit,
} from "./workers/wire/protocol.ts";
import { type Exposed, exposeOnPort, type PortClient, portClient } from "./workers/wire/rpc.ts";
import { createStartGate, type StartGate, stopWhileBooting } from "./workers/wire/start-gate.ts";
import { fromWireError } from "./workers/wire/wire-error.ts";

export type {
  ControlOptions,
  ParamsChange,
  SymbolParamsChanged,
  SymbolPaused,
  SymbolResumed,
} from "./workers/host/slot-control.ts";

/** A call named a symbol this runner does not quote (operator control answers 404 for it). */
export class UnknownSymbolError extends Error {
  override readonly name = "UnknownSymbolError";
  constructor(
    readonly symbol: string,
    readonly known: readonly string[],
  ) {
    super(`unknown symbol ${symbol} (quoting: ${known.join(", ")})`);
  }
}

export interface SupervisorOptions {
  readonly symbols: readonly SymbolConfig[];
  /** Each symbol's status, made by the runner (the price chain notes into it too). */
  readonly trackers: ReadonlyMap<string, SymbolTracker>;
  /** The runner's state folder (journals). */
  readonly runnerDir: string;
  readonly venue: WorkerInit["venue"];
  readonly createOrderBook: boolean;
  /** Core's share of the shutdown budget. */
  readonly workerShutdownMs: number;
  readonly logger: Logger;
  /** The one shared price feed of the process. */
  readonly feed: PriceFeed;
  /**
   * The process's one venue client: it makes every worker's calls (one gRPC channel for
   * all symbols) and cancels a dead worker's orders.
   */
  readonly gateway: SharedVenue;
  readonly metrics?: OpsMetrics;
  /** The runner's ledger: where each worker starts from, and the booking of its fills. */
  readonly books: SymbolBooks;
  /** Symbols whose ladder was already checked at a real price. */
  readonly checked: Set<string>;
  /** A symbol's first price shows its configuration cannot quote: the runner stops (exit 2). */
  readonly onConfigProblems: (problems: Problem[]) => void;
  /** A worker's journal file vanished or was replaced: the runner stops this run. */
  readonly onStateLost?: (message: string) => void;
  /** Where each worker's heap reports go (`/status.memory`, `/metrics`, the page). */
  readonly memory?: MemoryBook;
  /** Back-off of restarts: 1 s, 2 s, 4 s ... up to this. */
  readonly maxRestartDelayMs?: number;
  /** Workers booting at once at `start()`; the next boots when one has (8). */
  readonly startConcurrency?: number;
  /** How long a control message may wait for its worker's answer. Default: the worker's shutdown budget + 5 s. */
  readonly controlTimeoutMs?: number;
  /**
   * The venue's trade stream, read on the main thread: workers get its fills as `fill`
   * notifications (see `deliverFill`) and say when core has seen one (`fillSeen`).
   */
  readonly fills?: {
    live(): boolean;
    settle(key: string): void;
    /** A worker of `symbol` started: hand it the fills its predecessor did not book. */
    redeliver(symbol: string): void;
    /**
     * A stopping worker cancelled its last order: resolves once the stream has handed out
     * every fill published until now (its last fills are booked before it stops).
     */
    readToEnd(signal: AbortSignal): Promise<void>;
  };
}

/** What an operator changed for a symbol; a restarted worker starts with it. */
export interface ControlState {
  readonly paused?: { readonly reason?: string };
  readonly params: Partial<QuoteParamsInput>;
  readonly risk: RiskPatch;
}

export interface WorkerStop {
  readonly symbol: string;
  readonly summary?: StopSummaryWire;
  /** Did not stop in time and was terminated. */
  readonly terminated: boolean;
}

export interface Supervisor {
  start(): void;
  /** Stops every worker (each cancels its orders); terminates the ones that overrun. */
  stop(timeoutMs: number): Promise<WorkerStop[]>;
  statuses(): SymbolStatus[];
  tracker(symbol: string): SymbolTracker | undefined;
  /** The configured symbols, in order. */
  symbols(): readonly string[];
  config(symbol: string): SymbolConfig | undefined;
  /** The last price this symbol's worker quoted on (or was handed), if any. */
  lastPrice(symbol: string): string | undefined;
  controlState(symbol: string): ControlState | undefined;
  /**
   * Sends one control message to a symbol's worker and waits for its answer.
   * Throws `UnknownSymbolError`, or `WorkerUnavailableError` when the worker is not
   * running (restarting, stopping), exits before answering, or does not answer in time.
   */
  control(
    symbol: string,
    message: ControlMessage,
    options?: ControlOptions,
  ): Promise<ControlResult>;
  /**
   * Pauses one symbol (or every one): remembered first, so a worker restarted meanwhile
   * starts paused; resolves once its quotes are confirmed gone.
   */
  pause(
    symbol: string | undefined,
    options?: ControlOptions & { readonly reason?: string },
  ): Promise<SymbolPaused[]>;
  resume(symbol: string | undefined, options?: ControlOptions): Promise<SymbolResumed[]>;
  /**
   * Changes quoting parameters and risk rules (already validated by the caller; the
   * worker applies both or neither); remembered for a restarted worker once accepted.
   */
  updateParams(
    symbol: string | undefined,
    change: ParamsChange,
    options?: ControlOptions,
  ): Promise<SymbolParamsChanged[]>;
  /** Hands a trade-stream fill to the symbol's worker; false when none runs now. */
  deliverFill(symbol: string, fill: TradeFill): boolean;
  /** Tells every worker the trade stream went live or down. */
  setFillStreamLive(live: boolean): void;
}

interface Slot {
  readonly config: SymbolConfig;
  readonly tracker: SymbolTracker;
  readonly logger: Logger;
  readonly log: (event: WireEvent) => void;
  worker?: Worker;
  /** The current worker's start gate (see start-gate.ts). */
  gate?: StartGate;
  startedAt: number;
  restarts: number;
  /** Lets the start ramp's next worker go: called once, when it has booted or ended. */
  releaseStart?: () => void;
  restartTimer?: NodeJS.Timeout;
  /** Cancelling a dead worker's orders; a restart waits for it. */
  cleanup?: Promise<void>;
  summary?: StopSummaryWire;
  /** The current worker's RPC client: control calls and what it is pushed. */
  toWorker?: PortClient<WorkerApi>;
  /** What the current (or last) worker calls: its venue calls, made on the shared client. */
  host?: Exposed;
  /** Paused by an operator: survives a worker restart. */
  paused?: { readonly reason?: string };
  /** Parameters changed while running: survive a worker restart (not a runner restart). */
  params: Partial<QuoteParamsInput>;
  /** Risk rules changed while running: survive a worker restart. */
  risk: RiskPatch;
  lastPrice?: string;
}

/**
 * One worker thread per symbol. The main thread answers their price requests from the
 * shared feed, logs and counts their events, restarts a crashed worker with back-off
 * after cancelling the orders its journal lists, and keeps each symbol's status.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const slots = new Map<string, Slot>();
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const entry = workerEntry();
  const ramp = createStartRamp(options.startConcurrency ?? 8);
  // Every worker's venue calls share the one channel, and one bound on what is in flight.
  const callSlots = createCallSlots(PROCESS_CONCURRENCY);
  let stopping = false;

  for (const config of options.symbols) {
    const logger = options.logger.child({ symbol: config.symbol, book: config.book });
    const tracker = options.trackers.get(config.symbol);
    if (!tracker) throw new Error(`createSupervisor: no status tracker for ${config.symbol}`);
    slots.set(config.symbol, {
      config,
      tracker,
      logger,
      log: createEventLog(logger),
      startedAt: 0,
      restarts: 0,
      params: {},
      risk: {},
    });
  }

  function spawn(slot: Slot): void {
    const { config } = slot;
    const init: WorkerInit = {
      symbol: config,
      venue: options.venue,
      journalPath: journalPath(options.runnerDir, config.book),
      // Read at every (re)start: a restarted worker goes on from the fills booked so far.
      ...options.books.start(config.symbol),
      createOrderBook: options.createOrderBook,
      shutdownTimeoutMs: options.workerShutdownMs,
      ...(options.feed.subscribe ? { pushedTicks: true } : {}),
      ...(options.fills ? { fillStream: { live: options.fills.live() } } : {}),
      ...(slot.paused ? { paused: slot.paused } : {}),
      ...(Object.keys(slot.params).length > 0 ? { params: slot.params } : {}),
      ...(Object.keys(slot.risk).length > 0 ? { risk: slot.risk } : {}),
    };
    const gate = createStartGate();
    const worker = new Worker(entry.url, {
      workerData: { ...entry.data, init, gate },
      ...workerExecArgv(process.execArgv),
      // A worker's heap is small and short-lived; by default V8 lets each of N isolates
      // grow a new space of up to 32 MiB it does not need.
      resourceLimits: {
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
      },
      name: `mm-${config.symbol}`,
    });
    slot.worker = worker;
    slot.gate = gate;
    const toWorker = portClient<WorkerApi>(worker);
    slot.toWorker = toWorker;
    const host = exposeOnPort<HostApi>(worker, hostApi(slot), {
      togetherConcurrency: PHASE_CONCURRENCY,
      // The innermost bid and ask leave before the rest of the ladder is started.
      togetherFirst: 2,
      // A dead worker's venue calls settle before its journal is swept (not its price asks).
      tracked: VENUE_CALLS,
      onNotifyError: (method, error) =>
        slot.logger.error({ err: error }, `handling the worker's ${method} failed`),
    });
    slot.host = host;
    slot.startedAt = Date.now();
    slot.summary = undefined;
    slot.tracker.onWorker("starting");
    let ended = false;

    // Its first message says its module has run: the next worker may boot.
    worker.once("message", () => releaseStart(slot));
    options.fills?.redeliver(config.symbol);
    const onEnd = (error: Error | undefined, exitCode: number | undefined) => {
      if (ended) return;
      ended = true;
      releaseStart(slot);
      if (slot.worker === worker) {
        slot.worker = undefined;
        slot.toWorker = undefined;
      }
      toWorker.close(
        () =>
          new WorkerUnavailableError(
            config.symbol,
            "exited",
            `${config.symbol}'s worker ended before it answered`,
            { cause: error },
          ),
      );
      if (stopping) {
        slot.tracker.onWorker("stopped");
        return;
      }
      const reason = error
        ? `worker crashed: ${error.message}`
        : `worker exited unexpectedly (code ${exitCode})`;
      slot.logger.error({ err: error, exitCode }, reason);
      slot.tracker.onWorker("crashed", reason);
      slot.tracker.note("worker-crashed", reason, "error");
      // Its calls still in flight settle first: a create it sent must not land after the sweep.
      slot.cleanup = host
        .drained()
        .then(() => cleanUp(slot))
        .finally(() => {
          slot.cleanup = undefined;
        });
      scheduleRestart(slot);
    };
    worker.on("error", (error) => onEnd(error, undefined));
    worker.on("exit", (code) => onEnd(undefined, code));
  }

  /** A dead worker cannot cancel its orders: its journal says which they are. */
  async function cleanUp(slot: Slot): Promise<void> {
    const path = journalPath(options.runnerDir, slot.config.book);
    try {
      const result = await retireJournal(path, { gateway: options.gateway });
      const failed = result.failed.length;
      slot.logger[failed > 0 ? "error" : "info"](
        { cancelled: result.cancelled, alreadyGone: result.alreadyGone, failed },
        `cancelled the dead worker's orders: ${result.cancelled} cancelled, ${result.alreadyGone} already gone${failed > 0 ? `, ${failed} could not be (kept in the journal)` : ""}`,
      );
    } catch (error) {
      slot.logger.error({ err: error }, "could not cancel the dead worker's orders");
    }
  }

  function scheduleRestart(slot: Slot): void {
    const { delayMs: delay, restarts } = nextRestart(slot, Date.now(), maxDelay);
    slot.restarts = restarts;
    slot.logger.warn({ inMs: delay }, `restarting the worker in ${delay} ms`);
    slot.restartTimer = setTimeout(async () => {
      slot.restartTimer = undefined;
      await slot.cleanup;
      if (stopping) return;
      slot.tracker.note("worker-restarted", "worker restarted", "warn");
      spawn(slot);
    }, delay);
  }

  /** What a worker calls on the main thread: the shared venue and feed, and its reports. */
  function hostApi(slot: Slot): HostApi {
    const { config } = slot;
    return {
      ...createVenueApi({
        venue: options.gateway,
        slots: callSlots,
        userAddress: config.marketMakerId,
        onRpc: (info) =>
          options.metrics?.observe(config.symbol, {
            type: "rpc",
            method: info.method,
            code: info.codeName,
            durationMs: info.durationMs,
          }),
      }),
      price: ({ symbol }) => priceFor(options, slot, symbol),
      event: (event) => onEvent(slot, event),
      fillSeen: ({ key }) => options.fills?.settle(key),
      fillsToEnd: async (_request, { signal }) => {
        await options.fills?.readToEnd(signal);
        return undefined;
      },
      snapshot(snapshot) {
        slot.tracker.onSnapshot(snapshot);
        if (snapshot.lastPrice) slot.lastPrice = snapshot.lastPrice.price;
      },
      log(line) {
        const fields = {
          ...line.fields,
          ...(line.error ? { err: fromWireError(line.error) } : {}),
        };
        slot.logger[line.level](fields, line.msg);
      },
      stopped(summary) {
        slot.summary = summary;
      },
      failed(error) {
        slot.logger.error({ err: fromWireError(error) }, "the market maker failed");
      },
      stateLost: ({ message }) => options.onStateLost?.(message),
      heap: (heap) => options.memory?.noteWorker(config.symbol, heap),
    };
  }

  let stopForwarding: (() => void) | undefined;

  function releaseStart(slot: Slot): void {
    const release = slot.releaseStart;
    slot.releaseStart = undefined;
    release?.();
  }

  function onEvent(slot: Slot, event: WireEvent): void {
    // The ledger first: a fill is on disk before anyone hears of it.
    options.books.record(slot.config.symbol, event);
    // The metrics read core's events in their wire form.
    options.metrics?.observe(slot.config.symbol, event);
    slot.tracker.onEvent(event);
    slot.log(event);
  }

  async function stopSlot(slot: Slot, timeoutMs: number): Promise<WorkerStop> {
    if (slot.restartTimer) {
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
    }
    await slot.cleanup;
    const worker = slot.worker;
    if (!worker) {
      slot.tracker.onWorker("stopped");
      return { symbol: slot.config.symbol, terminated: false };
    }
    if (slot.gate && stopWhileBooting(slot.gate)) {
      // Still loading (its loop never started, nothing placed): no need to wait for it to
      // finish booting under load only to cancel nothing. Its journal is swept anyway.
      slot.logger.info("the worker was still starting; stopped it before its first cycle");
      await worker.terminate();
      slot.tracker.onWorker("stopped");
      return { symbol: slot.config.symbol, terminated: false };
    }
    const exited = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      worker.once("exit", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    const stopAt = Date.now();
    slot.toWorker?.notify.stop(undefined);
    const inTime = await exited;
    if (!inTime) {
      slot.logger.error(`the worker did not stop within ${timeoutMs} ms; terminating it`);
      await worker.terminate();
    }
    // What it left in flight (a create whose wait it gave up on still travels) settles
    // before the runner sweeps the journals, so the sweep's cancel cannot overtake it.
    if (slot.host && slot.host.inFlight > 0) {
      await settledWithin(slot.host.drained(), timeoutMs - (Date.now() - stopAt));
    }
    slot.tracker.onWorker("stopped");
    return {
      symbol: slot.config.symbol,
      ...(slot.summary ? { summary: slot.summary } : {}),
      terminated: !inTime,
    };
  }

  const control = createSlotControl({
    timeoutMs: options.controlTimeoutMs ?? options.workerShutdownMs + 5000,
    isStopping: () => stopping,
  });

  function slotOf(symbol: string): Slot {
    const slot = slots.get(symbol);
    if (!slot) throw new UnknownSymbolError(symbol, [...slots.keys()]);
    return slot;
  }

  function slotsOf(symbol: string | undefined): Slot[] {
    return symbol === undefined ? [...slots.values()] : [slotOf(symbol)];
  }

  return {
    symbols: () => [...slots.keys()],
    config: (symbol) => slots.get(symbol)?.config,
    lastPrice: (symbol) => slots.get(symbol)?.lastPrice,
    controlState(symbol) {
      const slot = slots.get(symbol);
      if (!slot) return undefined;
      return {
        ...(slot.paused ? { paused: slot.paused } : {}),
        params: { ...slot.params },
        risk: { ...slot.risk },
      };
    },
    control: async (symbol, message, options) => control.send(slotOf(symbol), message, options),
    pause: async (symbol, options = {}) => control.pause(slotsOf(symbol), options),
    resume: async (symbol, options = {}) => control.resume(slotsOf(symbol), options),
    updateParams: async (symbol, change, options = {}) =>
      control.updateParams(slotsOf(symbol), change, options),
    start() {
      stopForwarding ??= forwardTicks(options, slots.values(), () => stopping);
      for (const slot of slots.values()) {
        ramp.enqueue(() => {
          if (stopping) return ramp.release();
          slot.releaseStart = ramp.release;
          spawn(slot);
        });
      }
    },
    async stop(timeoutMs) {
      stopping = true;
      ramp.clear();
      stopForwarding?.();
      stopForwarding = undefined;
      return Promise.all([...slots.values()].map((slot) => stopSlot(slot, timeoutMs)));
    },
    deliverFill(symbol, fill) {
      const toWorker = slots.get(symbol)?.toWorker;
      if (!toWorker) return false;
      toWorker.notify.fill(fill);
      return true;
    },
    setFillStreamLive(live) {
      for (const slot of slots.values()) slot.toWorker?.notify.fillStream({ live });
    },
    statuses: () => [...slots.values()].map((slot) => slot.tracker.snapshot()),
    tracker: (symbol) => slots.get(symbol)?.tracker,
  };
}

/** Young generation of a worker's heap (V8 sizes it as three semi-spaces: 1 MiB each). */
const WORKER_YOUNG_GENERATION_MB = 3;

/**
 * Old generation of a worker's heap. Uncapped, V8 sizes it from the machine (4 GiB here) and
 * lets a worker whose live set is ~5 MiB grow for many minutes before a full collection: with
 * 16 symbols the workers' heaps went from 114 to 230 MiB in 8 minutes of the sandbox soak
 * (issue 26). Capped, V8 collects before its limit; 64 MiB leaves a worker ten times its
 * live set (more than the bounded sets of settled orders and stream keys can add). A worker
 * that still outgrows it ends with ERR_WORKER_OUT_OF_MEMORY and is restarted like any crash.
 */
const WORKER_OLD_GENERATION_MB = 64;

/** Waits for `settled`, for at most `ms` (nothing when the time is already up). */
async function settledWithin(settled: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
