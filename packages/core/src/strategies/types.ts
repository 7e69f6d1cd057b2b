import type { Decimal } from "../decimal.ts";
import type { Ladder, LadderConfig } from "../ladder.ts";
import type { ParsedRisk } from "../risk/risk-settings.ts";

/** One accepted reference price and when it was received (clock ms). */
export interface PricePoint {
  readonly at: number;
  /** A decimal string, as the feed gave it. */
  readonly price: string;
}

/** The model settings of the built-in strategies (validated, see `parseQuoteParams`). */
export interface StrategyParams {
  /** AS_GAMMA: risk aversion, > 0, per unit of inventory (order sizes) per price unit. */
  readonly asGamma: Decimal;
  /** AS_KAPPA: order-book liquidity (arrival rate decay per price unit), > 0. */
  readonly asKappa: Decimal;
  /** AS_HORIZON_SECONDS in ms: finite horizon T; absent: infinite (T − t held at 1 s). */
  readonly asHorizonMs?: number;
  /** VOLATILITY_WINDOW_SECONDS in ms: how far back `MarketView.prices` reaches. */
  readonly volatilityWindowMs: number;
}

/** Everything a strategy may look at to decide the ladder it wants. Plain data. */
export interface MarketView {
  readonly symbol: string;
  /** The reference price P this requote is for. */
  readonly reference: Decimal;
  /**
   * Accepted prices of the last `volatilityWindowMs`, oldest first, ending with this
   * requote's (thinned to about 2000 points, at most 4000).
   */
  readonly prices: readonly PricePoint[];
  /** Signed position in base units (+long, −short). */
  readonly position: Decimal;
  /** Levels, spread, step, per-level sizes, tick and lot step in force. */
  readonly ladder: LadderConfig;
  /** Position limit, skew, fee and loss limits in force. */
  readonly risk: ParsedRisk;
  readonly strategy: StrategyParams;
  /** Clock ms of this requote. */
  readonly now: number;
}

/**
 * A quoting strategy: a pure function from what the market looks like to the ladder we
 * want on the book (prices and sizes per side and level, innermost first). The market
 * maker checks what it returns (tick and lot multiples, strictly ordered sides, no
 * crossing: otherwise nothing is placed on it), trims it to the position limit, then
 * plans and executes it. It must not keep state between calls: the view is all it gets.
 */
export interface Strategy {
  /** Shown in logs, `/status` and the snapshot. */
  readonly name: string;
  quote(view: MarketView): Ladder;
}

/** The strategies core ships, by the name `STRATEGY` takes. */
export type StrategyName = "layered" | "avellaneda-stoikov";
