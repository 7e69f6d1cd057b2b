import {
  add,
  type Decimal,
  formatDecimal,
  gt,
  half,
  lt,
  max,
  normalize,
  parseDecimal,
  percentOf,
  sub,
  toNumber,
} from "../decimal.ts";
import { type Ladder, LadderError, layLevels } from "../ladder.ts";
import type { MarketView, Strategy } from "./types.ts";
import { varianceRate } from "./volatility.ts";

/**
 * Avellaneda & Stoikov, "High-frequency trading in a limit order book" (2008), in the
 * units of its closed form: prices in quote units, time in seconds, σ² in price units²
 * per second, inventory `q` in order sizes, γ per order size per price unit, κ per price
 * unit.
 */

/** The reservation (indifference) price `r = s − q·γ·σ²·(T − t)`. */
export function reservationPrice(
  mid: number,
  inventory: number,
  gamma: number,
  variance: number,
  timeLeft: number,
): number {
  return mid - inventory * gamma * variance * timeLeft;
}

/** The optimal total spread `γ·σ²·(T − t) + (2/γ)·ln(1 + γ/κ)`, bid to ask. */
export function optimalSpread(
  gamma: number,
  variance: number,
  timeLeft: number,
  kappa: number,
): number {
  return gamma * variance * timeLeft + (2 / gamma) * Math.log1p(gamma / kappa);
}

/**
 * `T − t` in seconds. A finite horizon of `horizonMs` runs in back-to-back sessions from
 * the epoch (every runner agrees on where one ends): the time left in the current one.
 * Infinite (no horizon): held at 1 s, so the inventory term and the volatility part of
 * the spread never fade out (σ² is then the variance of one second).
 */
export function timeLeftSeconds(now: number, horizonMs: number | undefined): number {
  if (horizonMs === undefined) return 1;
  return (horizonMs - (((now % horizonMs) + horizonMs) % horizonMs)) / 1000;
}

/** The model's numbers for one view, for the ladder and for anyone who wants to see them. */
export interface AvellanedaStoikovQuote {
  /** σ², price units² per second, from the window's prices. */
  readonly variance: number;
  /** Position in order sizes (level 1's). */
  readonly inventory: number;
  readonly timeLeft: number;
  readonly reservation: number;
  /** The model's total spread, before the BASE_SPREAD_PERCENT floor. */
  readonly spread: number;
}

export function avellanedaStoikovQuote(view: MarketView): AvellanedaStoikovQuote {
  const { strategy } = view;
  const mid = toNumber(view.reference);
  const gamma = toNumber(strategy.asGamma);
  const kappa = toNumber(strategy.asKappa);
  const unit = toNumber(view.ladder.sizes[0] as Decimal);
  const inventory = unit > 0 ? toNumber(view.position) / unit : 0;
  const variance = varianceRate(view.prices);
  const timeLeft = timeLeftSeconds(view.now, strategy.asHorizonMs);
  return {
    variance,
    inventory,
    timeLeft,
    reservation: reservationPrice(mid, inventory, gamma, variance, timeLeft),
    spread: optimalSpread(gamma, variance, timeLeft, kappa),
  };
}

/**
 * The float model's answer as an exact decimal of `digits` fractional digits (six below
 * the tick: the ladder then quantizes bids down and asks up). A NaN, an infinity or a value
 * no book could hold is refused: it never becomes a price.
 */
function exact(field: string, value: number, digits: number): Decimal {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e15) {
    throw new LadderError(
      `avellaneda-stoikov: ${field} came out as ${value}; nothing is quoted on it`,
      field,
      value,
    );
  }
  return parseDecimal(value.toFixed(Math.min(digits, 20)));
}

/**
 * The Avellaneda–Stoikov ladder: the innermost bid and ask at `r ∓ δ/2`, with δ the
 * optimal spread but never below BASE_SPREAD_PERCENT of P, neither quote through P (a
 * long position may sell at P, not below it; a short may buy at P, not above), then the
 * levels laid outward one PRICE_STEP_PERCENT of P at a time and sized as configured, bids
 * rounded down and asks up to the tick (see `layLevels`). `center` is r.
 */
export function avellanedaStoikovLadder(view: MarketView): Ladder {
  const model = avellanedaStoikovQuote(view);
  const { reference, ladder: config } = view;
  const digits = normalize(config.priceTick).scale + 6;
  const reservation = exact("reservation", model.reservation, digits);
  const floor = percentOf(reference, config.baseSpreadPercent);
  const spread = max(exact("spread", model.spread, digits), floor);
  let bid = sub(reservation, half(spread));
  let ask = add(reservation, half(spread));
  if (gt(bid, reference)) bid = reference;
  // Holding a side at P only moves it outward: the pair stays at least δ apart.
  if (lt(ask, reference)) ask = reference;
  return { ...layLevels(reference, config, bid, ask), center: formatDecimal(reservation) };
}

export const avellanedaStoikov: Strategy = {
  name: "avellaneda-stoikov",
  quote: avellanedaStoikovLadder,
};
