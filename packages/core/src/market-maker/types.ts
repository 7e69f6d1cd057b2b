import type { DecimalInput } from "../decimal-input.ts";
import type { LadderParams } from "../ladder.ts";
import type { RequoteModeName, Requoter } from "../planner.ts";
import type {
  Clock,
  FillFeed,
  OrderGateway,
  OrderJournal,
  PriceFeed,
  PriceTick,
} from "../ports.ts";
import type { PnlState } from "../risk/pnl.ts";
import type { RiskLimits, RiskOptions } from "../risk/risk-settings.ts";
import type { Strategy, StrategyName } from "../strategies/types.ts";
import type { CycleReport, MarketMakerEvent, SideCounts, StopSummary } from "./events.ts";
import type {
  FillPolling,
  OrderView,
  QuoteParams,
  QuoteParamsInput,
  RestoredOrderFills,
  RestoredPnl,
} from "./shared-types.ts";

export interface MarketMakerOptions {
  /** Canonical symbol asked of the price feed, e.g. `BTC-USDT`. */
  readonly symbol: string;
  /** The venue's order book name. */
  readonly book: string;
  /** Prefix of every order id (MARKET_MAKER_ID). */
  readonly marketMakerId: string;
  readonly ladder: LadderParams;
  /** Time from one cycle's start to the next (a slow cycle delays the next). Default 10 000. */
  readonly intervalMs?: number;
  /**
   * After the first cycle, start each cycle on the next multiple of `intervalMs` since the
   * epoch (per `clock`), so that many market makers on one interval ask for prices within
   * a few ms of each other and one shared fetch serves them all. Still never two cycles at
   * once: a cycle that overruns its slot is followed at the next free slot, and the next
   * cycle's report says how many slots were missed (`missedSlots`). Default false.
   */
  readonly alignToInterval?: boolean;
  /**
   * What ladder to quote: `layered` (default, the seed's), `avellaneda-stoikov`, or any
   * `Strategy` of your own (a pure function from a `MarketView` to a ladder).
   */
  readonly strategy?: StrategyName | Strategy;
  /** Avellaneda–Stoikov's risk aversion γ (AS_GAMMA), > 0. Default "0.1". */
  readonly asGamma?: DecimalInput;
  /** Avellaneda–Stoikov's order-book liquidity κ (AS_KAPPA), > 0. Default "1.5". */
  readonly asKappa?: DecimalInput;
  /** Avellaneda–Stoikov's horizon T in ms (AS_HORIZON_SECONDS). Default: infinite. */
  readonly asHorizonMs?: number;
  /** How far back the prices a strategy sees reach (VOLATILITY_WINDOW_SECONDS), ms. Default 60 000. */
  readonly volatilityWindowMs?: number;
  /** Default `diff`. Any `Requoter` may be passed to plug in a new mode. */
  readonly requoteMode?: RequoteModeName | Requoter;
  /**
   * `diff` keeps orders within this percentage of their target; with a pushing feed, a
   * tick requotes only when the price moved further than this from the one the live
   * ladder was built on. Default "0".
   */
  readonly refreshTolerancePercent?: DecimalInput;
  /**
   * With a feed that pushes ticks (`PriceFeed.subscribe`): at most one tick-driven requote
   * per this many ms; ticks in between coalesce into one on the newest price. Default 100.
   */
  readonly minRequoteIntervalMs?: number;
  /** With no accepted price for longer than this, quotes are pulled. Default 30 000. */
  readonly maxPriceAgeMs?: number;
  /** Gateway calls in flight at once within one plan phase or poll. Default 8. */
  readonly concurrency?: number;
  /** While the venue is unreachable the wait between cycles doubles up to this. */
  readonly maxBackoffMs?: number;
  /** Time allowed after abort to finish the cycle and cancel everything. Default 10 000. */
  readonly shutdownTimeoutMs?: number;
  /** Default `priority`. */
  readonly fillPolling?: FillPolling;
  /** Every order id timestamp will be greater than this (e.g. the last one journaled). */
  readonly timestampAfter?: number;
  /**
   * A create whose answer was lost may still be carried out by the venue after a cancel
   * found nothing: for this long after it was sent, such an id stays tracked (uncertain)
   * and is cancelled again each cycle. Default 0: the first "already gone" settles it.
   */
  readonly uncertainGraceMs?: number;
  /** Position limit, inventory skew, maker fee, loss kill switch. Default: none of them. */
  readonly risk?: RiskOptions;
  /** Position and P&L to start from (a ledger's, after a restart). Default: flat. */
  readonly restored?: RestoredPnl;
  /**
   * Start halted with this reason (the kill switch tripped in an earlier run and no one
   * resumed it): nothing is placed until `resume()`.
   */
  readonly halted?: string;
  readonly feed: PriceFeed;
  /**
   * The venue's trade stream. With one, fills are booked as it reports them (at the
   * trade's price) and each is reacted to at once (refill or trim the levels, limits,
   * skew, loss checks); live orders are polled only every `reconcileIntervalMs`, while it
   * is live. Without one (or while it is not live) fills are polled as `fillPolling` says.
   */
  readonly fills?: FillFeed;
  /** With `fills`: poll live orders at most this often while the stream is live. Default 60 000. */
  readonly reconcileIntervalMs?: number;
  /**
   * With `fills`: a fill the venue showed (create answer, poll, cancel that found the order
   * gone) and the stream did not report within this long is booked anyway, as
   * `reconciliation`. Default 5 000.
   */
  readonly streamGraceMs?: number;
  /** Fills an earlier run booked on recent orders (from the ledger), so late stream fills of them are booked once. */
  readonly restoredOrders?: readonly RestoredOrderFills[];
  readonly gateway: OrderGateway;
  readonly journal?: OrderJournal;
  readonly clock?: Clock;
  /** Receives every event. It must not throw; if it does, the error is ignored. */
  readonly onEvent?: (event: MarketMakerEvent) => void;
  /** Called when the venue has no such book (e.g. restarted empty): (re)create it. */
  readonly ensureBook?: () => Promise<void>;
}

/** A change of risk rules (`updateRisk`): `null` removes that limit. */
export type RiskPatch = { readonly [K in keyof RiskOptions]?: RiskOptions[K] | null };

/**
 * `quoting`: keeping the ladder; `paused`: an operator pulled the quotes (`pause()`);
 * `halted`: the loss kill switch pulled them (until `resume()`); `pulled`: no fresh price
 * for longer than `maxPriceAgeMs`, quotes cancelled.
 */
export type QuotingState = "quoting" | "paused" | "halted" | "pulled";

/** The symbol's risk figures, quote units unless said otherwise. */
export interface RiskSnapshot extends RiskLimits {
  /** Signed base units. */
  readonly position: string;
  readonly realized: string;
  /** Marked at the last accepted reference price; absent before the first. */
  readonly unrealized?: string;
  readonly fees: string;
  /** Cost basis of the open position (see `PnlState`). */
  readonly costBasis: string;
  /** Highest total P&L seen since start or the last resume (MAX_DRAWDOWN's reference). */
  readonly peak?: string;
  /** Why the kill switch halted quoting, and since when (ms), while it does. */
  readonly halted?: { readonly reason: string; readonly since: number };
  /** The P&L state, as a ledger would restore it. */
  readonly pnl: PnlState;
}

export interface MarketMakerSnapshot {
  readonly symbol: string;
  readonly book: string;
  readonly marketMakerId: string;
  readonly mode: string;
  /** The strategy quoting (`layered`, `avellaneda-stoikov`, or a custom one's name). */
  readonly strategy: string;
  readonly running: boolean;
  readonly cycles: number;
  readonly lastCycle?: CycleReport;
  readonly lastPrice?: Pick<PriceTick, "price" | "source" | "receivedAt">;
  readonly quotesPulled: boolean;
  readonly state: QuotingState;
  /** What `pause(reason)` was given, while paused. */
  readonly pausedReason?: string;
  readonly venue: "unknown" | "up" | "lost";
  /** Every order id we may own, until it is known gone. */
  readonly orders: readonly OrderView[];
  readonly live: SideCounts;
  readonly uncertain: number;
  /** Fills booked, restored ones included. */
  readonly fills: number;
  readonly volume: { readonly base: string; readonly quote: string };
  /** Base units bought minus sold (restored position included). */
  readonly position: string;
  readonly risk: RiskSnapshot;
}

export interface MarketMaker {
  /**
   * Cycles at the interval (the first at once) until `signal` aborts or `stop()`, then
   * cancels everything. With a feed that pushes ticks, also requotes on price moves.
   */
  run(signal?: AbortSignal): Promise<StopSummary>;
  /** One cycle now (waits for any running cycle first: never two at once). */
  runCycle(signal?: AbortSignal): Promise<CycleReport>;
  /** Cancels every order we may own, retrying transient failures until the deadline. */
  cancelAll(options?: { readonly timeoutMs?: number }): Promise<StopSummary>;
  /** Stops `run` (resolving with its summary), or just cancels everything when not running. */
  stop(): Promise<StopSummary>;
  /**
   * Pulls every quote (cancels confirmed, retried until the shutdown deadline) and places
   * nothing new until `resume()`; the loop keeps running (fills polled, venue watched).
   */
  pause(reason?: string): Promise<StopSummary>;
  /** Quotes again from the next requote or cycle; also lifts a kill-switch halt. */
  resume(): void;
  /**
   * Changes quoting parameters, validated as at creation: a `ConfigError` listing every
   * problem, and nothing changed, on any. Applied by the next requote.
   */
  updateParams(patch: Partial<QuoteParamsInput>): void;
  /** The quoting parameters in effect. */
  params(): QuoteParams;
  /**
   * Changes the risk rules (position limit, skew, fee, loss limits), validated as at
   * creation: a `ConfigError` listing every problem, and nothing changed, on any; `null`
   * removes a limit. The next requote trims and skews on them; orders a lowered limit no
   * longer allows are cancelled by the next cycle's risk reaction (reason `limit`).
   */
  updateRisk(patch: RiskPatch): void;
  /** The risk rules in effect. */
  risk(): RiskLimits;
  snapshot(): MarketMakerSnapshot;
}
