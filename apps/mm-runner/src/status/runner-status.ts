/**
 * The runner's status as the ops endpoint shows it: one snapshot per request, produced by
 * the supervisor (`getStatus`). Plain JSON-safe data, so `/status`, `/events` and the page
 * all see exactly the same thing.
 */
import type { FillStreamStatus } from "../fills/fill-stream-status.ts";
import type { MemoryStatus } from "./memory.ts";

export type SymbolState =
  /** The worker is up but has not completed its first quoting cycle. */
  | "starting"
  /** The full ladder is on the book. */
  | "quoting"
  /** Quoting, but something is wrong (a failed cycle, a source failover, a partial ladder). */
  | "degraded"
  /** Quotes deliberately withdrawn (no trustworthy price, venue lost). */
  | "pulled"
  /** Quotes withdrawn by an operator (control API); the worker keeps running and polling fills. */
  | "paused"
  /**
   * Quotes withdrawn by the loss kill switch (MAX_LOSS, MAX_DRAWDOWN); kept across restarts
   * until an operator resumes the symbol or the runner restarts with RESUME=1.
   */
  | "halted"
  /** Shut down on purpose. */
  | "stopped"
  /** The worker died; the supervisor is restarting it. */
  | "crashed";

export const SYMBOL_STATES: readonly SymbolState[] = [
  "starting",
  "quoting",
  "degraded",
  "pulled",
  "paused",
  "halted",
  "stopped",
  "crashed",
];

/** One of our resting orders. Decimal strings as sent to the venue. */
export interface LadderOrder {
  readonly price: string;
  readonly quantity: string;
  readonly orderId: string;
}

export interface PriceStatus {
  /** The reference price, a decimal string. */
  readonly value: string;
  /** `binance`, `coinbase`, `kraken`, `synthetic`, `replay`, ... */
  readonly source: string;
  /** ms since the epoch. */
  readonly receivedAt: number;
}

/** How a symbol's price is obtained right now (the streaming feed's view, or the REST poll). */
export interface FeedInfo {
  /** `stream` (a live WebSocket) or `poll` (REST: PRICE_FEED=poll, or a stream is down). */
  readonly via: "stream" | "poll";
  /** The exchange (or `synthetic`, `replay`, `median(...)`); undefined before a first price. */
  readonly source?: string;
  /** ms since the price in use was received; undefined before a first price. */
  readonly ageMs?: number;
  /** Reconnects of the stream in use (0 with PRICE_FEED=poll). */
  readonly reconnects: number;
  /** Sequence gaps seen on the stream in use. */
  readonly gaps: number;
  /** Times the symbol's price moved to another source or way (stream ↔ poll). */
  readonly failovers: number;
  /**
   * Whether the price is trusted to quote on (issue 22): `trusted` false with the reason
   * (`unconfirmed` first price, sources that `disagree`, `out-of-band`, an unconfirmed
   * `jump`) and a message saying why; `reference` the last accepted price.
   */
  readonly trust?: {
    readonly trusted: boolean;
    readonly reason?: string;
    readonly message?: string;
    readonly reference?: string;
  };
}

/** A line of the recent-events list. */
export interface StatusEvent {
  /** ms since the epoch. */
  readonly at: number;
  /** Short machine name, e.g. `source-failover`, `cycle-failed`, `worker-restarted`. */
  readonly type: string;
  readonly message: string;
  readonly level?: "info" | "warn" | "error";
}

/** One of our fills, for the chart's markers. */
export interface FillMark {
  /** The tracker's running fill number: a reader that saw `seq` n needs only those after. */
  readonly seq: number;
  /** ms since the epoch (the event's time). */
  readonly at: number;
  readonly side: "buy" | "sell";
  readonly price: string;
  readonly quantity: string;
}

/**
 * `ok`: within every limit; `limited`: the position limit trims a side of the ladder;
 * `halted`: the loss kill switch pulled the quotes.
 */
export type RiskState = "ok" | "limited" | "halted";
export const RISK_STATES: readonly RiskState[] = ["ok", "limited", "halted"];

/** Inventory and P&L of one symbol, quote currency amounts as decimal strings. */
export interface RiskStatus {
  readonly state: RiskState;
  /** MAX_POSITION (base units), when set. */
  readonly maxPosition?: string;
  /** Realized P&L by average cost, fees included. */
  readonly realized: string;
  /** Marked at the last reference price; absent before the first. */
  readonly unrealized?: string;
  readonly fees: string;
  readonly maxLoss?: string;
  readonly maxDrawdown?: string;
  /** Highest total P&L since start (MAX_DRAWDOWN's reference). */
  readonly peak?: string;
  /** Why the kill switch pulled the quotes, and since when (ms since the epoch). */
  readonly halted?: { readonly reason: string; readonly since: number };
}

export interface SymbolStatus {
  /** Canonical `BASE-QUOTE`. */
  readonly symbol: string;
  readonly book: string;
  readonly marketMakerId: string;
  /** The quoting strategy (STRATEGY): `layered` or `avellaneda-stoikov`. */
  readonly strategy?: string;
  /** Each level's order size in effect, innermost first. */
  readonly sizes?: readonly string[];
  readonly state: SymbolState;
  /** Why the state is not `quoting` (empty when it is). */
  readonly reasons: readonly string[];
  readonly price?: PriceStatus;
  /** Where the price comes from: stream or poll, which exchange, age, reconnects, gaps. */
  readonly feed?: FeedInfo;
  /** Best first: highest bid first. */
  readonly bids: readonly LadderOrder[];
  /** Best first: lowest ask first. */
  readonly asks: readonly LadderOrder[];
  readonly fills: { readonly count: number; readonly volume: string };
  /** Signed base quantity bought minus sold, a decimal string. */
  readonly position: string;
  /** Profit and loss in the quote currency, a decimal string, where the runner computes it. */
  readonly pnl?: string;
  /** Position against its limit, P&L, and the kill switch (see `RiskStatus`). */
  readonly risk?: RiskStatus;
  /** The latest fills (a bounded list), oldest first. */
  readonly recentFills?: readonly FillMark[];
  /**
   * The venue's book around our ladder, ours against everyone else's. Only from the
   * embedded venue (read in-process): GetOrderBookState can crash a real Matchingo when a
   * cancel empties a level mid-read, so the runner never asks a real venue for it.
   */
  readonly depth?: BookDepth;
  readonly cycles: number;
  /** ms since the epoch. */
  readonly lastCycleAt?: number;
  readonly workerRestarts: number;
  /** Most recent last or first; the page sorts by `at`. */
  readonly events: readonly StatusEvent[];
}

/** One price level of the book: what rests there from us and from everyone else. */
export interface DepthLevel {
  readonly price: string;
  readonly ours: string;
  readonly others: string;
}

export interface BookDepth {
  /** Best first, at most `DEPTH_LEVELS` a side. */
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

export interface VenueStatus {
  /** host:port of the Matchingo gRPC server. */
  readonly address: string;
  /** True when the runner started its own in-process venue (sandbox). */
  readonly embedded: boolean;
}

export interface RunnerStatus {
  /** ms since the epoch. */
  readonly startedAt?: number;
  /** When the snapshot was taken, ms since the epoch. */
  readonly now?: number;
  readonly venue: VenueStatus;
  /** Where fills come from: the venue's trade stream (and whether it is live), or polls. */
  readonly fills?: FillStreamStatus;
  /** True when any price in use is synthetic or replayed: the page says so loudly. */
  readonly synthetic: boolean;
  /** True once shutdown has begun: the runner is no longer ready. */
  readonly shuttingDown?: boolean;
  /** The process's memory: RSS, the main thread's heap and each worker's (issue 26). */
  readonly memory?: MemoryStatus;
  readonly symbols: readonly SymbolStatus[];
}

export type GetStatus = () => RunnerStatus | Promise<RunnerStatus>;

export interface Readiness {
  readonly ready: boolean;
  /** Why not ready, runner-wide (shutting down, no symbols, status unavailable). */
  readonly reasons: readonly string[];
  /**
   * What works in a degraded way without making the runner unready: the trade stream
   * down (fills are polled meanwhile).
   */
  readonly degraded?: readonly string[];
  readonly symbols: Readonly<
    Record<string, { readonly state: SymbolState; readonly reasons: readonly string[] }>
  >;
}

/** Ready means every configured symbol is quoting and the runner is not shutting down. */
export function readinessOf(status: RunnerStatus): Readiness {
  const reasons: string[] = [];
  if (status.shuttingDown === true) reasons.push("shutting down");
  if (status.symbols.length === 0) reasons.push("no symbols configured");
  const symbols: Record<string, { state: SymbolState; reasons: readonly string[] }> = {};
  let allQuoting = true;
  for (const symbol of status.symbols) {
    const quoting = symbol.state === "quoting";
    if (!quoting) allQuoting = false;
    symbols[symbol.symbol] = {
      state: symbol.state,
      reasons: quoting || symbol.reasons.length > 0 ? symbol.reasons : [`state is ${symbol.state}`],
    };
  }
  const fills = status.fills;
  const degraded =
    fills && fills.mode !== "poll" && fills.state !== "live"
      ? [
          `trade stream ${fills.state} since ${new Date(fills.since).toISOString()}${fills.detail ? ` (${fills.detail})` : ""}: fills are polled until it is back`,
        ]
      : undefined;
  return {
    ready: reasons.length === 0 && allQuoting,
    reasons,
    ...(degraded ? { degraded } : {}),
    symbols,
  };
}
