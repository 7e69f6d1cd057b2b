import { ConfigError, describeValue } from "./config-error.ts";
import {
  add,
  type Decimal,
  formatDecimal,
  gte,
  half,
  lte,
  normalize,
  percentOf,
  quantize,
  sign,
  sub,
} from "./decimal.ts";
import { type DecimalInput, readDecimal } from "./decimal-input.ts";
import type { Side } from "./ports.ts";

/** Refuses a ladder: bad parameters, or a price/size that would quantize to zero or below. */
export class LadderError extends ConfigError {
  override readonly name = "LadderError";
}

export interface LadderParams {
  /** Orders per side (NUM_LEVELS), 1..MAX_LEVELS. */
  readonly levels: number;
  /** Spread of the innermost level, in percent of P (BASE_SPREAD_PERCENT); > 0. */
  readonly baseSpreadPercent: DecimalInput;
  /** Distance between levels, in percent of P (PRICE_STEP_PERCENT); >= 0. */
  readonly priceStepPercent: DecimalInput;
  /** Quantity of every order (ORDER_SIZE); quantized down to `qtyStep`. */
  readonly orderSize: DecimalInput;
  /** Price tick of the book; bids round down to it, asks up. */
  readonly priceTick: DecimalInput;
  /** Lot step of the book; sizes round down to it. */
  readonly qtyStep: DecimalInput;
}

/** Ladder parameters after validation, as exact decimals. */
export interface LadderConfig {
  readonly levels: number;
  readonly baseSpreadPercent: Decimal;
  readonly priceStepPercent: Decimal;
  readonly orderSize: Decimal;
  readonly priceTick: Decimal;
  readonly qtyStep: Decimal;
}

export interface Level {
  readonly side: Side;
  /** 1 is the innermost level (closest to P). */
  readonly level: number;
  /** Decimal string with exactly the tick's number of fractional digits. */
  readonly price: string;
  /** Decimal string with exactly the lot step's number of fractional digits. */
  readonly quantity: string;
}

/**
 * A level moved one tick further out than its formula price because quantization
 * made it land on (or inside) the previous level's tick.
 */
export interface PushedOutLevel {
  readonly side: Side;
  readonly level: number;
  /** The formula price quantized (bids down, asks up) before the push. */
  readonly formulaPrice: string;
  /** The price used: one tick outside the previous level. */
  readonly price: string;
}

export interface Ladder {
  /** The reference price P the ladder was computed from. */
  readonly reference: string;
  /** The centre the levels were placed around when it is not P (inventory skew). */
  readonly center?: string;
  /** Best (highest) first. */
  readonly bids: readonly Level[];
  /** Best (lowest) first. */
  readonly asks: readonly Level[];
  /** Levels that had to be pushed outward to keep prices strictly monotonic. */
  readonly pushedOut: readonly PushedOutLevel[];
}

/** Bounds the work of one ladder; no real book wants more levels a side. */
export const MAX_LEVELS = 1000;

const ladderError = (message: string, field: string, value: unknown, cause?: unknown) =>
  new LadderError(message, field, value, { cause });

function positive(field: string, input: unknown): Decimal {
  const value = readDecimal(field, input, ladderError);
  if (sign(value) <= 0) {
    throw new LadderError(`${field} must be > 0, got ${describeValue(input)}`, field, input);
  }
  return value;
}

/** Validates ladder parameters once, so a loop can refuse bad config before quoting. */
export function parseLadderParams(params: LadderParams): LadderConfig {
  if (params === null || typeof params !== "object") {
    throw new LadderError(
      `ladder params must be an object, got ${String(params)}`,
      "params",
      params,
    );
  }
  const { levels } = params;
  if (!Number.isInteger(levels) || levels < 1 || levels > MAX_LEVELS) {
    throw new LadderError(
      `levels must be a whole number from 1 to ${MAX_LEVELS}, got ${describeValue(levels)}`,
      "levels",
      levels,
    );
  }
  const priceStepPercent = readDecimal("priceStepPercent", params.priceStepPercent, ladderError);
  if (sign(priceStepPercent) < 0) {
    throw new LadderError(
      `priceStepPercent must be >= 0, got ${describeValue(params.priceStepPercent)}`,
      "priceStepPercent",
      params.priceStepPercent,
    );
  }
  const qtyStep = positive("qtyStep", params.qtyStep);
  const orderSize = positive("orderSize", params.orderSize);
  if (sign(quantize(orderSize, qtyStep, "down")) <= 0) {
    throw new LadderError(
      `orderSize ${formatDecimal(orderSize)} quantizes to 0 at qtyStep ${formatDecimal(qtyStep)}`,
      "orderSize",
      params.orderSize,
    );
  }
  return {
    levels,
    baseSpreadPercent: positive("baseSpreadPercent", params.baseSpreadPercent),
    priceStepPercent,
    orderSize,
    priceTick: positive("priceTick", params.priceTick),
    qtyStep,
  };
}

function isConfig(params: LadderParams | LadderConfig): params is LadderConfig {
  return (
    typeof params.baseSpreadPercent === "object" &&
    typeof params.priceStepPercent === "object" &&
    typeof params.orderSize === "object" &&
    typeof params.priceTick === "object" &&
    typeof params.qtyStep === "object"
  );
}

/**
 * The seed's layered symmetric ladder around reference price P, computed exactly:
 * `BaseHalfSpread = P*spread/2/100`, `PriceStep = P*step/100`, `bid_1 = P - half`,
 * `ask_1 = P + half`, `bid_i = bid_{i-1} - step`, `ask_i = ask_{i-1} + step`.
 *
 * Then each price is quantized away from P (bids down, asks up), so no level is ever
 * closer to P than the formula says. When that makes a level land on the previous
 * level's tick (a step finer than the tick), it is pushed one more tick outward and
 * reported in `pushedOut`. A price or size at or below zero is a `LadderError`.
 * With `options.center` the levels sit around that centre instead of P (same rules).
 */
export interface LadderOptions {
  /**
   * Centre of the levels instead of P (inventory skew, see `risk/skew.ts`). The spread
   * and the step stay percentages of P, so skew moves the ladder without resizing it.
   */
  readonly center?: DecimalInput;
}

export function computeLadder(
  price: DecimalInput,
  params: LadderParams | LadderConfig,
  options: LadderOptions = {},
): Ladder {
  const config = isConfig(params) ? params : parseLadderParams(params);
  const reference = positive("price", price);
  const center = options.center === undefined ? reference : positive("center", options.center);
  const { priceTick: tick, levels } = config;
  const priceScale = normalize(tick).scale;
  const quantity = formatDecimal(
    normalize(quantize(config.orderSize, config.qtyStep, "down")),
    normalize(config.qtyStep).scale,
  );

  const halfSpread = half(percentOf(reference, config.baseSpreadPercent));
  const step = percentOf(reference, config.priceStepPercent);

  const bids: Level[] = [];
  const asks: Level[] = [];
  const pushedOut: PushedOutLevel[] = [];
  let exactBid = sub(center, halfSpread);
  let exactAsk = add(center, halfSpread);
  let previousBid: Decimal | undefined;
  let previousAsk: Decimal | undefined;

  for (let level = 1; level <= levels; level++) {
    if (level > 1) {
      exactBid = sub(exactBid, step);
      exactAsk = add(exactAsk, step);
    }

    let bid = quantize(exactBid, tick, "down");
    if (previousBid !== undefined && gte(bid, previousBid)) {
      const pushed = sub(previousBid, tick);
      pushedOut.push(push("buy", level, bid, pushed, priceScale));
      bid = pushed;
    }
    if (sign(bid) <= 0) {
      throw new LadderError(
        `bid level ${level} would be ${formatPrice(bid, priceScale)} (<= 0) at price ` +
          `${formatDecimal(reference)}: spread, step or levels too large for this price`,
        "price",
        price,
      );
    }

    let ask = quantize(exactAsk, tick, "up");
    if (previousAsk !== undefined && lte(ask, previousAsk)) {
      const pushed = add(previousAsk, tick);
      pushedOut.push(push("sell", level, ask, pushed, priceScale));
      ask = pushed;
    }

    bids.push({ side: "buy", level, price: formatPrice(bid, priceScale), quantity });
    asks.push({ side: "sell", level, price: formatPrice(ask, priceScale), quantity });
    previousBid = bid;
    previousAsk = ask;
  }

  return {
    reference: formatDecimal(reference),
    ...(options.center === undefined ? {} : { center: formatDecimal(normalize(center)) }),
    bids,
    asks,
    pushedOut,
  };
}

function push(
  side: Side,
  level: number,
  formula: Decimal,
  pushed: Decimal,
  scale: number,
): PushedOutLevel {
  return {
    side,
    level,
    formulaPrice: formatPrice(formula, scale),
    price: formatPrice(pushed, scale),
  };
}

/** Every price is a multiple of the tick, so its shortest form never has more digits. */
function formatPrice(price: Decimal, tickScale: number): string {
  return formatDecimal(normalize(price), tickScale);
}
