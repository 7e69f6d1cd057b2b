import type { Decimal } from "../decimal.ts";
import { VenueError } from "../errors.ts";
import type { Timestamps } from "../order-id.ts";
import type { Requoter } from "../planner.ts";
import type {
  Clock,
  FillFeed,
  OrderGateway,
  OrderJournal,
  PriceFeed,
  PriceTick,
} from "../ports.ts";
import type { ParsedRisk } from "../risk/risk-settings.ts";
import type { Strategy } from "../strategies/types.ts";
import type { CycleReport, MarketMakerEvent } from "./events.ts";
import type { FillLedger } from "./fill-ledger.ts";
import type { PriceHistory } from "./price-history.ts";
import type { ParsedQuoteParams } from "./quote-params.ts";
import type { SettledOrders } from "./settled-orders.ts";
import type { FillPolling } from "./shared-types.ts";
import type { ShutdownDeadline } from "./shutdown-deadline.ts";
import type { TrackedOrders } from "./tracked-orders.ts";

/** Options after validation: what does not change while running. */
export interface Settings {
  readonly symbol: string;
  readonly book: string;
  readonly marketMakerId: string;
  readonly intervalMs: number;
  readonly alignToInterval: boolean;
  readonly maxPriceAgeMs: number;
  readonly concurrency: number;
  readonly maxBackoffMs: number;
  readonly shutdownTimeoutMs: number;
  readonly uncertainGraceMs: number;
  readonly requoter: Requoter;
  readonly strategy: Strategy;
  readonly fillPolling: FillPolling;
  /** With a fill feed: live orders are polled (reconciliation) at most this often. */
  readonly reconcileIntervalMs: number;
  /** With a fill feed: what the venue showed filled is booked without the stream after this. */
  readonly streamGraceMs: number;
  readonly timestampAfter?: number;
}

export interface Ports {
  readonly feed: PriceFeed;
  readonly fills?: FillFeed;
  readonly gateway: OrderGateway;
  readonly journal?: OrderJournal;
  readonly clock: Clock;
  readonly ensureBook?: () => Promise<void>;
}

/** Counted per cycle (or requote) for its report. */
export interface CycleStats {
  placed: number;
  canceled: number;
  failed: number;
  skipped: number;
  fills: number;
  rpcs: { placeOrder: number; cancelOrder: number; getOrder: number; getBook: number };
}

export type RpcMethod = keyof CycleStats["rpcs"];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event without what `emit` adds (symbol, book, time). */
export type EventBody = DistributiveOmit<MarketMakerEvent, "symbol" | "book" | "time">;

/**
 * What one market maker's parts share. Each module takes it and touches only what it is
 * named for; `createMarketMaker` makes it and is the only place that wires the parts.
 */
export interface MarketMakerContext {
  readonly settings: Settings;
  readonly ports: Ports;
  readonly orders: TrackedOrders;
  /** Orders known gone whose fills the stream may still report. */
  readonly settled: SettledOrders;
  /** Keys of the stream fills seen (bounded): a redelivery is not booked twice. */
  readonly streamKeys: Set<string>;
  /** When live orders were last polled with a live fill stream (reconciliation). */
  lastReconcileAt?: number;
  readonly ledger: FillLedger;
  readonly deadline: ShutdownDeadline;
  /** Recent accepted prices, for the strategy's view. */
  readonly prices: PriceHistory;
  /** Order id timestamps, unique and rising per plan. */
  readonly timestamps: Timestamps;
  readonly emit: (event: EventBody) => void;
  /** Replaced whole by `updateParams`, read at the start of each requote. */
  params: ParsedQuoteParams;
  /** Position limit, skew, fees and loss limits in force. */
  risk: ParsedRisk;
  /** Set when the loss kill switch tripped (also `paused`); cleared only by `resume()`. */
  halt?: { readonly reason: string; readonly since: number };
  /** Highest total P&L seen since start (or the last resume), for MAX_DRAWDOWN. */
  peak?: string;
  stats: CycleStats;
  venue: "unknown" | "up" | "lost";
  bookSeen: boolean;
  /** The last full cycle checked the venue (book there, fills polled): ticks may requote. */
  venueChecked: boolean;
  bookCreatedAt?: number;
  cycles: number;
  lastCycle?: CycleReport;
  lastPrice?: PriceTick;
  lastGoodPriceAt?: number;
  firstCycleAt?: number;
  /** Grid slots passed over before the next cycle (alignToInterval), for its report. */
  missedSlots: number;
  quotesPulled: boolean;
  paused: boolean;
  pausedReason?: string;
  /** The reference price the ladder now live was built on; undefined when none is. */
  builtOn?: Decimal;
}

export function newStats(): CycleStats {
  return {
    placed: 0,
    canceled: 0,
    failed: 0,
    skipped: 0,
    fills: 0,
    rpcs: { placeOrder: 0, cancelOrder: 0, getOrder: 0, getBook: 0 },
  };
}

export const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error), { cause: error });

const LOST_KINDS = new Set(["unavailable", "deadline-exceeded"]);

/** The venue did not answer (as opposed to answering no). */
export const isLost = (error: unknown) => error instanceof VenueError && LOST_KINDS.has(error.kind);
