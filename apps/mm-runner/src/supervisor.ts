import { Worker } from "node:worker_threads";
import type { OrderGateway, PriceFeed } from "@matchingo-mm/core";
import type { Logger } from "pino";
import { checkLadderAtPrice } from "./config/ladder-check.ts";
import type { Problem } from "./config/raw.ts";
import type { SymbolConfig } from "./config/types.ts";
import { journalPath } from "./journal/files.ts";
import { retireJournal } from "./journal/retire.ts";
import { ledgerFile } from "./ledger/path.ts";
import { createEventLog } from "./log/event-log.ts";
import type { OpsMetrics, SymbolStatus } from "./ops/index.ts";
import { createSymbolTracker, type SymbolTracker } from "./status/symbol-tracker.ts";
import type {
  FromWorker,
  StopSummaryWire,
  ToWorker,
  WireEvent,
  WorkerInit,
} from "./workers/protocol.ts";
import { createStartGate, type StartGate, stopWhileBooting } from "./workers/start-gate.ts";
import { fromWireError, toWireError } from "./workers/wire-error.ts";

const BOOT_URL = new URL("./workers/boot.mjs", import.meta.url);
const WORKER_ENTRY = new URL("./workers/worker.ts", import.meta.url).href;

export interface SupervisorOptions {
  readonly symbols: readonly SymbolConfig[];
  /** The runner's state folder (journals). */
  readonly runnerDir: string;
  readonly venue: WorkerInit["venue"];
  readonly createOrderBook: boolean;
  /** Core's share of the shutdown budget. */
  readonly workerShutdownMs: number;
  readonly logger: Logger;
  /** The one shared price feed of the process. */
  readonly feed: PriceFeed;
  /** The main thread's own client: cancels a dead worker's orders. */
  readonly gateway: Pick<OrderGateway, "cancelOrder">;
  readonly metrics?: OpsMetrics;
  /** Symbols whose ladder was already checked at a real price. */
  readonly checked: Set<string>;
  /** A symbol's first price shows its configuration cannot quote: the runner stops (exit 2). */
  readonly onConfigProblems: (problems: Problem[]) => void;
  /** Fault injection (tests): crash this symbol's worker after n cycles, once. */
  readonly crashAfterCycles?: ReadonlyMap<string, number>;
  /** Back-off of restarts: 1 s, 2 s, 4 s ... up to this. */
  readonly maxRestartDelayMs?: number;
  /**
   * The worker entry bundled as plain JS (see bundle.ts): workers start from it with no
   * loader. Not set: from `boot.mjs`, which registers tsx in each thread.
   */
  readonly workerBundle?: URL;
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
  restartTimer?: NodeJS.Timeout;
  /** Cancelling a dead worker's orders; a restart waits for it. */
  cleanup?: Promise<void>;
  summary?: StopSummaryWire;
  crashInjected: boolean;
}

/**
 * One worker thread per symbol. The main thread answers their price requests from the
 * shared feed, logs and counts their events, restarts a crashed worker with back-off
 * after cancelling the orders its journal lists, and keeps each symbol's status.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const slots = new Map<string, Slot>();
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  let stopping = false;

  for (const config of options.symbols) {
    const logger = options.logger.child({ symbol: config.symbol, book: config.book });
    slots.set(config.symbol, {
      config,
      tracker: createSymbolTracker(config),
      logger,
      log: createEventLog(logger),
      startedAt: 0,
      restarts: 0,
      crashInjected: false,
    });
  }

  function spawn(slot: Slot): void {
    const { config } = slot;
    const crashAfter = options.crashAfterCycles?.get(config.symbol);
    const init: WorkerInit = {
      symbol: config,
      venue: options.venue,
      journalPath: journalPath(options.runnerDir, config.book),
      ledgerPath: ledgerFile(options.runnerDir),
      createOrderBook: options.createOrderBook,
      shutdownTimeoutMs: options.workerShutdownMs,
      ...(options.feed.subscribe ? { pushedTicks: true } : {}),
      ...(crashAfter !== undefined && !slot.crashInjected ? { crashAfterCycles: crashAfter } : {}),
    };
    if (init.crashAfterCycles !== undefined) slot.crashInjected = true;
    const gate = createStartGate();
    const worker = new Worker(options.workerBundle ?? BOOT_URL, {
      workerData: { entry: WORKER_ENTRY, init, gate },
      execArgv: withoutTsxLoader(process.execArgv),
      name: `mm-${config.symbol}`,
    });
    slot.worker = worker;
    slot.gate = gate;
    slot.startedAt = Date.now();
    slot.summary = undefined;
    slot.tracker.onWorker("starting");
    let ended = false;

    worker.on("message", (message: FromWorker) => handle(slot, worker, message));
    const onEnd = (error: Error | undefined, exitCode: number | undefined) => {
      if (ended) return;
      ended = true;
      if (slot.worker === worker) slot.worker = undefined;
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
      slot.cleanup = cleanUp(slot).finally(() => {
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
    // A worker that ran a good while earns a fresh back-off.
    if (Date.now() - slot.startedAt > 60_000) slot.restarts = 0;
    const delay = Math.min(maxDelay, 1000 * 2 ** slot.restarts);
    slot.restarts++;
    slot.logger.warn({ inMs: delay }, `restarting the worker in ${delay} ms`);
    slot.restartTimer = setTimeout(async () => {
      slot.restartTimer = undefined;
      await slot.cleanup;
      if (stopping) return;
      slot.tracker.note("worker-restarted", "worker restarted", "warn");
      spawn(slot);
    }, delay);
  }

  function handle(slot: Slot, worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case "price-request":
        answerPrice(slot, worker, message.id, message.symbol);
        return;
      case "event":
        onEvent(slot, message.event);
        return;
      case "snapshot":
        slot.tracker.onSnapshot(message.snapshot);
        return;
      case "log": {
        const fields = {
          ...message.fields,
          ...(message.error ? { err: fromWireError(message.error) } : {}),
        };
        slot.logger[message.level](fields, message.msg);
        return;
      }
      case "stopped":
        slot.summary = message.summary;
        return;
      case "failed":
        slot.logger.error({ err: fromWireError(message.error) }, "the market maker failed");
        return;
      case "control-result":
        // Operator control is sent by the ops layer, which listens for its own answers.
        return;
    }
  }

  /**
   * Forwards every tick the shared feed pushes to its symbol's worker, once that symbol's
   * ladder was checked at a real price (the first price still goes through `latest`).
   */
  function forwardTicks(): () => void {
    const { feed } = options;
    if (!feed.subscribe) return () => {};
    const unsubscribes = [...slots.values()].map((slot) =>
      feed.subscribe!.call(feed, slot.config.symbol, (tick) => {
        const worker = slot.worker;
        if (!worker || stopping || !options.checked.has(slot.config.symbol)) return;
        try {
          worker.postMessage({ type: "tick", tick } satisfies ToWorker);
        } catch {
          // The worker is gone; its successor asks for a price first.
        }
      }),
    );
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }
  let stopForwarding: (() => void) | undefined;

  function answerPrice(slot: Slot, worker: Worker, id: number, symbol: string): void {
    const reply = (message: ToWorker) => {
      try {
        worker.postMessage(message);
      } catch {
        // The worker is gone; nobody waits for the answer.
      }
    };
    options.feed.latest(symbol).then(
      (tick) => {
        slot.tracker.onPrice(tick);
        if (!options.checked.has(symbol)) {
          options.checked.add(symbol);
          const problems = checkLadderAtPrice(slot.config, tick.price);
          if (problems.length > 0) {
            options.onConfigProblems(problems);
            reply({
              type: "price",
              id,
              error: toWireError(
                new Error(`${symbol}: the configuration cannot quote at ${tick.price}`),
              ),
            });
            return;
          }
        }
        reply({ type: "price", id, tick });
      },
      (error: unknown) => reply({ type: "price", id, error: toWireError(error) }),
    );
  }

  function onEvent(slot: Slot, event: WireEvent): void {
    // The metrics read core's events (and the worker's rpc events) in their wire form.
    options.metrics?.observe(slot.config.symbol, event);
    if (event.type === "rpc") return;
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
    worker.postMessage({ type: "stop" } satisfies ToWorker);
    const inTime = await exited;
    if (!inTime) {
      slot.logger.error(`the worker did not stop within ${timeoutMs} ms; terminating it`);
      await worker.terminate();
    }
    slot.tracker.onWorker("stopped");
    return {
      symbol: slot.config.symbol,
      ...(slot.summary ? { summary: slot.summary } : {}),
      terminated: !inTime,
    };
  }

  return {
    start() {
      stopForwarding ??= forwardTicks();
      for (const slot of slots.values()) spawn(slot);
    },
    async stop(timeoutMs) {
      stopping = true;
      stopForwarding?.();
      stopForwarding = undefined;
      return Promise.all([...slots.values()].map((slot) => stopSlot(slot, timeoutMs)));
    },
    statuses: () => [...slots.values()].map((slot) => slot.tracker.snapshot()),
    tracker: (symbol) => slots.get(symbol)?.tracker,
  };
}

/** The parent's Node flags minus tsx's loader, which `boot.mjs` registers in the worker. */
export function withoutTsxLoader(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const arg = execArgv[index]!;
    const next = execArgv[index + 1];
    if ((arg === "--import" || arg === "--require" || arg === "-r") && next && isTsx(next)) {
      index++;
      continue;
    }
    if (/^--(import|require)=/.test(arg) && isTsx(arg)) continue;
    kept.push(arg);
  }
  return kept;
}

function isTsx(specifier: string): boolean {
  return specifier === "tsx" || /[\\/]tsx[\\/]/.test(specifier) || specifier.startsWith("tsx/");
}
