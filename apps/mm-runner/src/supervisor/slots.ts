import type { Worker } from "node:worker_threads";
import type { QuoteParamsInput, RiskPatch } from "@matchingo-mm/core";
import type { Logger } from "pino";
import type { SymbolConfig } from "../config/types.ts";
import { createEventLog } from "../log/event-log.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type { WireEvent } from "../workers/wire/events.ts";
import type { StopSummaryWire, WorkerApi } from "../workers/wire/protocol.ts";
import type { Exposed, PortClient } from "../workers/wire/rpc.ts";
import type { StartGate } from "../workers/wire/start-gate.ts";
import type { SupervisorOptions } from "./options.ts";
import type { Supervisor } from "./types.ts";

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

/** One symbol under the supervisor: its current worker, and what outlives each worker. */
export interface Slot {
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

export type Slots = ReadonlyMap<string, Slot>;

/** One slot per configured symbol, in order, none with a worker yet. */
export function createSlots(
  options: Pick<SupervisorOptions, "symbols" | "trackers" | "logger">,
): Slots {
  const slots = new Map<string, Slot>();
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
  return slots;
}

export function slotOf(slots: Slots, symbol: string): Slot {
  const slot = slots.get(symbol);
  if (!slot) throw new UnknownSymbolError(symbol, [...slots.keys()]);
  return slot;
}

/** One symbol's slot, or every slot when no symbol is named. */
export function slotsOf(slots: Slots, symbol: string | undefined): Slot[] {
  return symbol === undefined ? [...slots.values()] : [slotOf(slots, symbol)];
}

/** Lets the start ramp's next worker go, once for each worker started through it. */
export function releaseStart(slot: Slot): void {
  const release = slot.releaseStart;
  slot.releaseStart = undefined;
  release?.();
}

/** What the supervisor answers from its slots: the symbols, their config, status and price. */
export function slotReads(
  slots: Slots,
): Pick<Supervisor, "symbols" | "config" | "lastPrice" | "statuses" | "tracker"> {
  return {
    symbols: () => [...slots.keys()],
    config: (symbol) => slots.get(symbol)?.config,
    lastPrice: (symbol) => slots.get(symbol)?.lastPrice,
    statuses: () => [...slots.values()].map((slot) => slot.tracker.snapshot()),
    tracker: (symbol) => slots.get(symbol)?.tracker,
  };
}
