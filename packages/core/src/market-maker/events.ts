import type { CancelReason } from "../planner.ts";
import type { CancelOutcome, OrderIntent, PlacedOrder, Side } from "../ports.ts";
import type { RiskLimits } from "../risk/risk-settings.ts";
import type { QuoteParams } from "./shared-types.ts";

/** Gateway calls made, by method. */
export interface RpcCounts {
  readonly placeOrder: number;
  readonly cancelOrder: number;
  readonly getOrder: number;
  readonly getBook: number;
  readonly total: number;
}

export interface SideCounts {
  readonly buy: number;
  readonly sell: number;
}

export type CycleOutcome =
  /** The plan for a fresh price ran (some steps may have failed: see `failed`). */
  | "quoted"
  /** No usable price: nothing new placed; quotes left as they were. */
  | "price-error"
  /** The price gave no valid ladder (e.g. a level at or below zero): nothing new placed. */
  | "ladder-error"
  /** No price for longer than `maxPriceAgeMs`: our quotes were cancelled. */
  | "pulled"
  /** Paused by an operator: nothing placed, anything left of ours cancelled. */
  | "paused"
  /** Halted by the loss kill switch: nothing placed, anything left of ours cancelled. */
  | "halted"
  /** The venue could not be checked; nothing was sent. */
  | "venue-error"
  /** Stopped before the plan finished. */
  | "aborted";

/**
 * What started a cycle. `interval`: the full cycle (venue check, fill polling, price
 * asked of the feed) run every `intervalMs` or by `runCycle()`. `tick`: a requote on a
 * price the feed pushed (`PriceFeed.subscribe`) that moved further than
 * `refreshTolerancePercent` from the live ladder's; no venue check, no fill polling.
 */
export type CycleTrigger = "interval" | "tick" | "fill";

export interface CycleReport {
  /** Numbered with the interval cycles: one sequence per market maker. */
  readonly cycle: number;
  readonly trigger: CycleTrigger;
  readonly symbol: string;
  readonly book: string;
  readonly mode: string;
  readonly outcome: CycleOutcome;
  /** Clock time the cycle started, ms since the epoch. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** The reference price quoted around, when there was one. */
  readonly price?: string;
  readonly source?: string;
  /**
   * When that price was received (its tick's `receivedAt`), so tick-to-quote latency is
   * `startedAt + durationMs - priceReceivedAt`.
   */
  readonly priceReceivedAt?: number;
  /**
   * `trigger: "fill"`: when the earliest fill it reacts to arrived; fill-to-reaction
   * latency is `startedAt + durationMs - fillReceivedAt`.
   */
  readonly fillReceivedAt?: number;
  /** Our best live bid and ask after the cycle. */
  readonly bestBid?: string;
  readonly bestAsk?: string;
  readonly placed: number;
  readonly canceled: number;
  readonly kept: number;
  /** Steps that failed (the order stays tracked unless it is known gone). */
  readonly failed: number;
  /** Steps not run: a crossed order was not confirmed gone, or the cycle was stopped. */
  readonly skipped: number;
  /** Fills learned during this cycle. */
  readonly fills: number;
  readonly rpcs: RpcCounts;
  /** Our confirmed live orders per side after the cycle. */
  readonly live: SideCounts;
  /** Creates whose outcome is still unknown (to be cancelled). */
  readonly uncertain: number;
  /**
   * With `alignToInterval`: slots of the interval grid passed over since the previous
   * cycle because that one overran its slot (absent when none was).
   */
  readonly missedSlots?: number;
}

export interface StopSummary {
  /** Orders the venue confirmed cancelled. */
  readonly canceled: number;
  /** Orders that were already gone (filled, lost, or never arrived). */
  readonly alreadyGone: number;
  /** Ids not confirmed gone by the deadline: they may still rest on the venue. */
  readonly failed: readonly string[];
}

interface EventBase {
  readonly symbol: string;
  readonly book: string;
  /** Clock time, ms since the epoch. */
  readonly time: number;
}

export interface CycleEvent extends EventBase, Omit<CycleReport, "symbol" | "book"> {
  readonly type: "cycle";
}

export interface PriceErrorEvent extends EventBase {
  readonly type: "price-error";
  /** Usually a `PriceError` (a stale tick becomes one of kind `stale`). */
  readonly error: Error;
  /** ms since the last accepted price, when there was one. */
  readonly priceAgeMs?: number;
}

export interface LadderErrorEvent extends EventBase {
  readonly type: "ladder-error";
  readonly price: string;
  readonly error: Error;
}

export interface VenueStateEvent extends EventBase {
  readonly type: "venue-state";
  /** `lost` on the first failure to reach the venue, `back` on the first success after. */
  readonly state: "lost" | "back";
  readonly error?: Error;
}

export interface OrderPlacedEvent extends EventBase {
  readonly type: "order-placed";
  readonly order: OrderIntent;
  readonly level: number;
  readonly status: PlacedOrder["status"];
}

export interface OrderCanceledEvent extends EventBase {
  readonly type: "order-canceled";
  readonly orderId: string;
  readonly side: Side;
  readonly price: string;
  readonly outcome: CancelOutcome;
  readonly reason: CancelReason;
  /**
   * Gone after a cancel of ours whose answer was lost: most likely that cancel took, but
   * Matchingo cannot tell it from a fill in between, so no fill is booked for it.
   */
  readonly fillUnknown?: boolean;
}

export interface OrderFailedEvent extends EventBase {
  readonly type: "order-failed";
  readonly action: "place" | "cancel";
  readonly orderId: string;
  readonly error: Error;
  /** True when the order may rest on the venue: it stays tracked and is cancelled later. */
  readonly uncertain: boolean;
}

/**
 * How a fill was learned: the create's own answer (it traded on arrival), a GetOrder, or
 * a cancel that found a live order gone (filled since we last looked).
 */
export type FillSource =
  | "place-response"
  | "poll"
  | "cancel-found-gone"
  /** The venue's trade stream (`FillFeed`). */
  | "stream"
  /** With a trade stream: what the venue showed filled and the stream never reported. */
  | "reconciliation";

export interface FillEvent extends EventBase {
  readonly type: "fill";
  readonly orderId: string;
  readonly side: Side;
  /**
   * The price it traded at: the order's limit for a resting order (it trades at its own
   * price); for an order that crossed on arrival, the price of the resting order it met (from
   * CreateOrder's answer or the trade stream).
   */
  readonly price: string;
  /** Quantity filled since we last knew the order. */
  readonly quantity: string;
  /** What still rests; "0" when the order is completely filled. */
  readonly remaining: string;
  /** Our position after this fill (+buy, -sell), base units. */
  readonly position: string;
  readonly via: FillSource;
  /** Fee of this fill at `makerFeeBps` (negative: a rebate), quote units. */
  readonly fee: string;
  /** Realized P&L of the symbol after this fill (fees included), quote units. */
  readonly realized: string;
  /** `via: "stream"`: where the stream had it (`TradeFill.key`) and when it arrived. */
  readonly key?: string;
  readonly role?: "maker" | "taker";
  readonly receivedAt?: number;
}

/**
 * The loss kill switch tripped (`maxLoss` or `maxDrawdown`): quotes are pulled and stay
 * pulled until `resume()`. Figures in quote units at the time of the trip.
 */
export interface HaltedEvent extends EventBase {
  readonly type: "halted";
  readonly reason: string;
  readonly realized: string;
  readonly unrealized: string;
  readonly peak: string;
  readonly position: string;
}

export interface QuotesPulledEvent extends EventBase {
  readonly type: "quotes-pulled";
  /** ms since the last accepted price (or since start when there was none). */
  readonly priceAgeMs: number;
  /** Orders being cancelled. */
  readonly orders: number;
  /**
   * Why: `stale` (no good price for `maxPriceAgeMs`) or `untrusted` (the price is not
   * trusted: an unconfirmed first price, a band, an unconfirmed jump; `detail` says which).
   */
  readonly reason: "stale" | "untrusted";
  readonly detail?: string;
}

export interface QuotesResumedEvent extends EventBase {
  readonly type: "quotes-resumed";
  readonly price: string;
  readonly source: string;
}

/** An operator paused quoting (`pause()`); the quotes are being pulled. */
export interface PausedEvent extends EventBase {
  readonly type: "paused";
  readonly reason?: string;
}

/** An operator resumed quoting (`resume()`); the next requote or cycle places the ladder. */
export interface ResumedEvent extends EventBase {
  readonly type: "resumed";
  /** The kill switch's reason, when this resume lifted a halt. */
  readonly halted?: string;
}

/** `updateParams` changed the quoting parameters; `params` is what is now in effect. */
export interface ParamsChangedEvent extends EventBase {
  readonly type: "params-changed";
  readonly params: QuoteParams;
}

/** `updateRisk` changed the risk rules; `risk` is what is now in effect. */
export interface RiskChangedEvent extends EventBase {
  readonly type: "risk-changed";
  readonly risk: RiskLimits;
}

export interface VenueResetEvent extends EventBase {
  readonly type: "venue-reset";
  /** `book-missing`: the venue has no such book; `book-recreated`: its creation time changed. */
  readonly reason: "book-missing" | "book-recreated";
  /** Our orders the venue no longer holds (forgotten, not counted as fills). */
  readonly lost: number;
}

/** Something went wrong outside an order step: journal writes, a venue check, a bug. */
export interface ErrorEvent extends EventBase {
  readonly type: "error";
  readonly stage: "journal" | "venue-check" | "fill-poll" | "cycle";
  readonly error: Error;
  readonly orderId?: string;
}

export interface StoppedEvent extends EventBase {
  readonly type: "stopped";
  readonly summary: StopSummary;
}

export type MarketMakerEvent =
  | CycleEvent
  | PriceErrorEvent
  | LadderErrorEvent
  | VenueStateEvent
  | OrderPlacedEvent
  | OrderCanceledEvent
  | OrderFailedEvent
  | FillEvent
  | HaltedEvent
  | QuotesPulledEvent
  | QuotesResumedEvent
  | PausedEvent
  | ResumedEvent
  | ParamsChangedEvent
  | RiskChangedEvent
  | VenueResetEvent
  | ErrorEvent
  | StoppedEvent;

export type MarketMakerEventType = MarketMakerEvent["type"];
