import type {
  BookInfo,
  CancelOutcome,
  MarketMakerEvent,
  MarketMakerSnapshot,
  OrderIntent,
  OrderStatus,
  PlacedOrder,
  PriceTick,
  QuoteParams,
  QuoteParamsInput,
  RestoredOrderFills,
  RestoredPnl,
  RiskPatch,
  TradeFill,
} from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
import type { HeapMessage } from "./wire/heap.ts";
import type { WireError } from "./wire-error.ts";

/** What a worker is started with (`workerData`). Plain data only. */
export interface WorkerInit {
  readonly symbol: SymbolConfig;
  readonly venue: {
    /**
     * Budget of one gRPC call, retries included. The main thread makes the calls (see
     * `VenueCall`); the worker needs it to know how long a timed-out create may still land.
     */
    readonly deadlineMs: number;
  };
  /** This book's journal file. */
  readonly journalPath: string;
  /**
   * Position and P&L the symbol starts from, read by the main thread from the runner's
   * ledger (which books the fills the worker reports).
   */
  readonly restored: RestoredPnl;
  /** The kill switch's reason when the symbol is halted (kept across restarts). */
  readonly halted?: string;
  /** Its recent orders' fills from the ledger: late stream fills of them are booked once. */
  readonly restoredOrders?: readonly RestoredOrderFills[];
  /**
   * The main thread reads the venue's trade stream: fills arrive as `fill` messages, and
   * `fill-stream` says whether it is live (it starts as `live` says).
   */
  readonly fillStream?: { readonly live: boolean };
  /** Create the book when the venue does not have it (also after a venue restart). */
  readonly createOrderBook: boolean;
  /** Time core has after a stop to cancel everything. */
  readonly shutdownTimeoutMs: number;
  /**
   * The main thread's feed pushes ticks: the worker's feed offers `subscribe`, fed by
   * `tick` messages, and core requotes on price moves. Not set: poll mode only.
   */
  readonly pushedTicks?: boolean;
  /**
   * Start paused (an operator paused this symbol and its worker was restarted): applied
   * before the loop starts, so nothing is placed.
   */
  readonly paused?: { readonly reason?: string };
  /** Parameters changed while running (control API, SIGHUP), applied before the loop starts. */
  readonly params?: Partial<QuoteParamsInput>;
  /** Risk rules changed while running, applied before the loop starts (`null` removes one). */
  readonly risk?: RiskPatch;
}

/** A field as it crosses the thread boundary: structured clone keeps no Error class. */
type WireField<T> = T extends Error ? WireError : T;

/** An event with its `Error` fields in wire form; every other field keeps its type. */
export type ToWire<E> = { readonly [K in keyof E]: WireField<E[K]> };

/**
 * Core's event union as it arrives from a worker, still discriminated by `type`: a reader
 * that switches on `type` gets each event's own fields, and a misspelt one does not compile.
 */
export type WireMarketMakerEvent = MarketMakerEvent extends infer E
  ? E extends MarketMakerEvent
    ? ToWire<E>
    : never
  : never;

/** What a worker posts as an `event`: core's events. */
export type WireEvent = WireMarketMakerEvent;

/**
 * A call on the venue that a worker's gateway asks the main thread to make: the process
 * keeps one gRPC channel for every symbol (see port-gateway.ts and venue-host.ts).
 */
export type VenueCall =
  | { readonly method: "placeOrder"; readonly order: OrderIntent }
  | { readonly method: "cancelOrder"; readonly book: string; readonly orderId: string }
  | { readonly method: "getOrder"; readonly book: string; readonly orderId: string }
  | { readonly method: "getBook"; readonly book: string }
  | { readonly method: "ensureBook"; readonly book: string };

/** What each venue call answers with. */
export interface VenueCallResults {
  readonly placeOrder: PlacedOrder;
  readonly cancelOrder: CancelOutcome;
  readonly getOrder: OrderStatus;
  readonly getBook: BookInfo | undefined;
  readonly ensureBook: undefined;
}

/** The answer to a `venue-call`: its value, or the error it failed with (wire form). */
export type VenueResult =
  | {
      readonly type: "venue-result";
      readonly id: number;
      readonly ok: true;
      readonly value: unknown;
    }
  | {
      readonly type: "venue-result";
      readonly id: number;
      readonly ok: false;
      readonly error: WireError;
    };

export interface StopSummaryWire {
  readonly canceled: number;
  readonly alreadyGone: number;
  readonly failed: readonly string[];
}

export type ToWorker =
  | {
      readonly type: "price";
      readonly id: number;
      readonly tick?: PriceTick;
      readonly error?: WireError;
    }
  /** A tick the main thread's feed pushed for this worker's symbol (when `pushedTicks`). */
  | { readonly type: "tick"; readonly tick: PriceTick }
  /** A fill of one of this worker's orders from the trade stream (when `fillStream`). */
  | { readonly type: "fill"; readonly fill: TradeFill }
  /** The trade stream went down (polls stand in) or came back. */
  | { readonly type: "fill-stream"; readonly live: boolean }
  /** Operator control: answered by a `control-result` with the same `id`. */
  | { readonly type: "pause"; readonly id: number; readonly reason?: string }
  | { readonly type: "resume"; readonly id: number }
  /** Quoting parameters and risk rules: both are applied, or neither. */
  | {
      readonly type: "params";
      readonly id: number;
      readonly params: Partial<QuoteParamsInput>;
      readonly risk?: RiskPatch;
    }
  | VenueResult
  | { readonly type: "stop" };

/** One refused parameter (core's `ConfigProblem`, with the value in plain data). */
export interface ProblemWire {
  readonly field: string;
  readonly value?: unknown;
  readonly message: string;
}

/**
 * The answer to a `pause`, `resume` or `params` message: `ok` with the summary of the
 * pulled quotes (pause) and the parameters in effect; or the error, with every refused
 * parameter in `problems` (nothing was changed then).
 */
export type ControlResult =
  | {
      readonly type: "control-result";
      readonly id: number;
      readonly ok: true;
      readonly summary?: StopSummaryWire;
      readonly params: QuoteParams;
    }
  | {
      readonly type: "control-result";
      readonly id: number;
      readonly ok: false;
      readonly error: WireError;
      readonly problems?: readonly ProblemWire[];
    };

export type FromWorker =
  | { readonly type: "price-request"; readonly id: number; readonly symbol: string }
  | { readonly type: "venue-call"; readonly id: number; readonly call: VenueCall }
  /** The caller gave up on a `venue-call` (its signal aborted): the main thread aborts it too. */
  | { readonly type: "venue-abort"; readonly id: number }
  | { readonly type: "event"; readonly event: WireEvent }
  /**
   * A `fill` was handed to core: whatever it booked of it was posted before this, so the
   * main thread may move the stream's resume point past it.
   */
  | { readonly type: "fill-seen"; readonly key: string }
  /** Core's view after a cycle or a fill: our orders, fills, position. */
  | { readonly type: "snapshot"; readonly snapshot: MarketMakerSnapshot }
  | {
      readonly type: "log";
      readonly level: "debug" | "info" | "warn" | "error";
      readonly msg: string;
      readonly fields?: Readonly<Record<string, unknown>>;
      readonly error?: WireError;
    }
  | ControlResult
  | { readonly type: "stopped"; readonly summary: StopSummaryWire }
  | { readonly type: "failed"; readonly error: WireError }
  /** The book's journal file vanished or was replaced: this run must stop (journal/state-watch.ts). */
  | { readonly type: "state-lost"; readonly message: string }
  /** The worker's heap, now and then (heap-report.ts). */
  | HeapMessage;
