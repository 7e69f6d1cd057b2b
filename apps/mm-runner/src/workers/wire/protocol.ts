import type {
  BookInfo,
  CancelOutcome,
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
import type { SymbolConfig } from "../../config/types.ts";
import type { WireEvent } from "./events.ts";
import type { HeapFigures } from "./heap.ts";
import type { CallContext } from "./rpc.ts";
import type { WireError } from "./wire-error.ts";

/** What a worker is started with (`workerData`). Plain data only. */
export interface WorkerInit {
  readonly symbol: SymbolConfig;
  readonly venue: {
    /**
     * Budget of one gRPC call, retries included. The main thread makes the calls (see
     * `HostApi`); the worker needs it to know how long a timed-out create may still land.
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
   * The main thread reads the venue's trade stream: fills arrive as `fill` notifications,
   * and `fillStream` says whether it is live (it starts as `live` says).
   */
  readonly fillStream?: { readonly live: boolean };
  /** Create the book when the venue does not have it (also after a venue restart). */
  readonly createOrderBook: boolean;
  /** Time core has after a stop to cancel everything. */
  readonly shutdownTimeoutMs: number;
  /**
   * The main thread's feed pushes ticks: the worker's feed offers `subscribe`, fed by
   * `tick` notifications, and core requotes on price moves. Not set: poll mode only.
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

export type { WireEvent, WireMarketMakerEvent } from "./events.ts";

export interface StopSummaryWire {
  readonly canceled: number;
  readonly alreadyGone: number;
  readonly failed: readonly string[];
}

/** One refused parameter (core's `ConfigProblem`, with the value in plain data). */
export interface ProblemWire {
  readonly field: string;
  readonly value?: unknown;
  readonly message: string;
}

/**
 * A worker's answer to a pause, resume or parameter change: `ok` with the summary of the
 * pulled quotes (pause) and the parameters in effect; or the error, with every refused
 * parameter in `problems` (nothing was changed then).
 */
export type ControlResult =
  | {
      readonly ok: true;
      readonly summary?: StopSummaryWire;
      readonly params: QuoteParams;
    }
  | {
      readonly ok: false;
      readonly error: WireError;
      readonly problems?: readonly ProblemWire[];
    };

/** A worker's log line, logged by the main thread with the symbol. */
export interface LogWire {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly msg: string;
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly error?: WireError;
}

/**
 * What the main thread offers its workers over their port (workers/wire/rpc.ts): the
 * process's one gRPC channel, its one price feed, and the sink of their reports.
 *
 * A requote's plan crosses phase by phase: the creates (or cancels) of one phase are sent
 * in one message (`placeOrder`, `cancelOrder` and `getOrder` are called `together`), run
 * by the main thread on the one channel, and answered with every outcome in one message.
 */
export interface HostApi {
  placeOrder(order: OrderIntent, context: CallContext): Promise<PlacedOrder>;
  cancelOrder(
    request: { readonly book: string; readonly orderId: string },
    context: CallContext,
  ): Promise<CancelOutcome>;
  getOrder(
    request: { readonly book: string; readonly orderId: string },
    context: CallContext,
  ): Promise<OrderStatus>;
  /** The book, or undefined when the venue has no such book. */
  getBook(request: { readonly book: string }, context: CallContext): Promise<BookInfo | undefined>;
  /** Creates the book unless the venue has it (after a venue restart). */
  ensureBook(request: { readonly book: string }, context: CallContext): Promise<undefined>;
  /** The symbol's latest price from the shared feed (checked against its ladder first). */
  price(request: { readonly symbol: string }, context: CallContext): Promise<PriceTick>;
  /**
   * The worker cancelled its last order at a stop: answered once the trade stream has
   * handed it every fill published until now (each `fill` notification goes before the
   * answer, on the same port), or when it cannot (stream down, `signal` aborted).
   */
  fillsToEnd(request: { readonly symbol: string }, context: CallContext): Promise<undefined>;

  // Notifications (never answered).
  event(event: WireEvent): void;
  /** Core's view after a cycle or a fill: our orders, fills, position. */
  snapshot(snapshot: MarketMakerSnapshot): void;
  log(line: LogWire): void;
  /**
   * A fill was handed to core: whatever it booked of it was reported before this, so the
   * main thread may move the stream's resume point past it.
   */
  fillSeen(request: { readonly key: string }): void;
  stopped(summary: StopSummaryWire): void;
  failed(error: WireError): void;
  /** The book's journal file vanished or was replaced: this run must stop (journal/state-watch.ts). */
  stateLost(request: { readonly message: string }): void;
  /** The worker's heap, now and then (thread/heap-report.ts). */
  heap(heap: HeapFigures): void;
}

/** The host's calls a plan's steps are: answered together, one message per phase. */
export const PLAN_STEPS: ReadonlySet<keyof HostApi> = new Set<keyof HostApi>([
  "placeOrder",
  "cancelOrder",
  "getOrder",
]);

/** The host's venue calls (a dead worker's in-flight ones settle before its journal is swept). */
export const VENUE_CALLS: ReadonlySet<string> = new Set<keyof HostApi>([
  "placeOrder",
  "cancelOrder",
  "getOrder",
  "getBook",
  "ensureBook",
]);

/** What a worker offers the main thread over its port: operator control and what it pushes. */
export interface WorkerApi {
  pause(request: { readonly reason?: string }, context: CallContext): Promise<ControlResult>;
  resume(request: undefined, context: CallContext): Promise<ControlResult>;
  /** Quoting parameters and risk rules: both are applied, or neither. */
  params(
    request: { readonly params: Partial<QuoteParamsInput>; readonly risk?: RiskPatch },
    context: CallContext,
  ): Promise<ControlResult>;

  // Notifications (never answered).
  /** A tick the main thread's feed pushed for this worker's symbol (when `pushedTicks`). */
  tick(tick: PriceTick): void;
  /** A fill of one of this worker's orders from the trade stream (when `fillStream`). */
  fill(fill: TradeFill): void;
  /** The trade stream went down (polls stand in) or came back. */
  fillStream(request: { readonly live: boolean }): void;
  stop(request: undefined): void;
}
