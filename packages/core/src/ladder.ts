import { ConfigError, type ConfigProblem, describeValue } from "./config-error.ts";
import {
  add,
  type Decimal,
  formatDecimal,
  gte,
  half,
  lt,
  lte,
  mul,
  normalize,
  percentOf,
  quantize,
  sign,
  sub,
} from "./decimal.ts";
import { type DecimalInput, readDecimal } from "./decimal-input.ts";
import { levelSizes, readSizes } from "./order-sizes.ts";
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
  /**
   * Quantity of every order (ORDER_SIZE), or one per level innermost first (a list, or a
   * comma list in one string: `"0.01,0.02,0.04"`); quantized down to `qtyStep`.
   */
  readonly orderSize: DecimalInput | readonly DecimalInput[];
  /** Added to the size at each level outward (Hummingbot's `order_level_amount`); >= 0. */
  readonly orderSizeStep?: DecimalInput;
  /** Each level's size is the previous one's times this; > 0. One form at a time. */
  readonly orderSizeMultiplier?: DecimalInput;
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
  /** One size, or one per level (see `LadderParams.orderSize`), as given. */
  readonly orderSize: Decimal | readonly Decimal[];
  readonly orderSizeStep?: Decimal;
  readonly orderSizeMultiplier?: Decimal;
  readonly priceTick: Decimal;
  readonly qtyStep: Decimal;
  /** Each level's size quantized down to `qtyStep`, innermost first; `levels` long. */
  readonly sizes: readonly Decimal[];
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

/** Runs one field's check, turning its refusal into a problem instead of a throw. */
function checked<T>(problems: ConfigProblem[], check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push({ field: error.field, value: error.value, message: error.message });
    return undefined;
  }
}

/**
 * Every problem of a set of ladder parameters (empty when they are valid), so a caller
 * changing several at once learns about all of them in one answer.
 */
export function ladderParamsProblems(params: LadderParams): readonly ConfigProblem[] {
  return parseAll(params).problems;
}

/** Validates ladder parameters once, so a loop can refuse bad config before quoting. */
export function parseLadderParams(params: LadderParams): LadderConfig {
  const { config, problems } = parseAll(params);
  const [first] = problems;
  if (first || !config) {
    const problem = first ?? { field: "params", value: params, message: "invalid ladder params" };
    throw new LadderError(problem.message, problem.field, problem.value, { problems });
  }
  return config;
}

function parseAll(params: LadderParams): {
  config?: LadderConfig;
  problems: readonly ConfigProblem[];
} {
  if (params === null || typeof params !== "object") {
    const message = `ladder params must be an object, got ${String(params)}`;
    return { problems: [{ field: "params", value: params, message }] };
  }
  const problems: ConfigProblem[] = [];
  const levels = checked(problems, () => {
    const { levels } = params;
    if (!Number.isInteger(levels) || levels < 1 || levels > MAX_LEVELS) {
      throw new LadderError(
        `levels must be a whole number from 1 to ${MAX_LEVELS}, got ${describeValue(levels)}`,
        "levels",
        levels,
      );
    }
    return levels;
  });
  const priceStepPercent = checked(problems, () => {
    const value = readDecimal("priceStepPercent", params.priceStepPercent, ladderError);
    if (sign(value) < 0) {
      throw new LadderError(
        `priceStepPercent must be >= 0, got ${describeValue(params.priceStepPercent)}`,
        "priceStepPercent",
        params.priceStepPercent,
      );
    }
    return value;
  });
  const qtyStep = checked(problems, () => positive("qtyStep", params.qtyStep));
  const orderSize = readSizes(params.orderSize, problems);
  if (qtyStep && orderSize) {
    for (const value of Array.isArray(orderSize) ? orderSize : [orderSize as Decimal]) {
      if (sign(quantize(value, qtyStep, "down")) <= 0) {
        problems.push({
          field: "orderSize",
          value: params.orderSize,
          message: `orderSize ${formatDecimal(value)} quantizes to 0 at qtyStep ${formatDecimal(qtyStep)}`,
        });
        break;
      }
    }
  }
  const orderSizeStep = checked(problems, () =>
    params.orderSizeStep === undefined
      ? undefined
      : readDecimal("orderSizeStep", params.orderSizeStep, ladderError),
  );
  const orderSizeMultiplier = checked(problems, () =>
    params.orderSizeMultiplier === undefined
      ? undefined
      : readDecimal("orderSizeMultiplier", params.orderSizeMultiplier, ladderError),
  );
  let sizes: readonly Decimal[] | undefined;
  if (levels !== undefined && qtyStep && orderSize && problems.length === 0) {
    const form = {
      orderSize,
      ...(orderSizeStep === undefined ? {} : { orderSizeStep }),
      ...(orderSizeMultiplier === undefined ? {} : { orderSizeMultiplier }),
    };
    const result = levelSizes(form, levels, qtyStep);
    problems.push(...result.problems);
    sizes = result.sizes;
  }
  const baseSpreadPercent = checked(problems, () =>
    positive("baseSpreadPercent", params.baseSpreadPercent),
  );
  const priceTick = checked(problems, () => positive("priceTick", params.priceTick));
  if (
    problems.length > 0 ||
    levels === undefined ||
    priceStepPercent === undefined ||
    qtyStep === undefined ||
    orderSize === undefined ||
    sizes === undefined ||
    baseSpreadPercent === undefined ||
    priceTick === undefined
  ) {
    return { problems };
  }
  return {
    config: {
      levels,
      baseSpreadPercent,
      priceStepPercent,
      orderSize,
      ...(orderSizeStep === undefined ? {} : { orderSizeStep }),
      ...(orderSizeMultiplier === undefined ? {} : { orderSizeMultiplier }),
      priceTick,
      qtyStep,
      sizes,
    },
    problems,
  };
}

/** Why a ladder is unsound at a price (see `ladderProblems`). */
export interface LadderProblem extends ConfigProblem {
  readonly kind: /** The full spread (`amount`) is narrower than one price tick. */
    | "spread-below-tick"
    /** The step between levels (`amount`) is narrower than one tick: levels share a price. */
    | "step-below-tick"
    /** The outermost bid by the formula (`amount`) is at or below zero. */
    | "outer-bid-not-positive"
    /** The price itself is not a positive decimal. */
    | "price-not-positive";
  /** The amount the formula gives, for the message (up to 8 fractional digits). */
  readonly amount: string;
}

/**
 * What is wrong with quoting these parameters at a real price, before anything is placed:
 * a spread narrower than one tick, levels closer than one tick (they would share a price),
 * or an outermost bid at or below zero. Empty when the ladder is sound. Fields are the
 * `LadderParams` keys (`baseSpreadPercent`, `priceStepPercent`, `levels`, or `price`).
 * Throws a `LadderError` when the parameters themselves are invalid.
 */
export function ladderProblems(
  price: DecimalInput,
  params: LadderParams | LadderConfig,
): readonly LadderProblem[] {
  const config = isConfig(params) ? params : parseLadderParams(params);
  let reference: Decimal;
  try {
    reference = positive("price", price);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ field: "price", value: price, message, kind: "price-not-positive", amount: "" }];
  }
  const priceText = formatDecimal(reference);
  const tickText = formatDecimal(normalize(config.priceTick));
  const spread = percentOf(reference, config.baseSpreadPercent);
  const step = percentOf(reference, config.priceStepPercent);
  const problems: LadderProblem[] = [];
  if (lt(spread, config.priceTick)) {
    problems.push({
      field: "baseSpreadPercent",
      value: formatDecimal(normalize(config.baseSpreadPercent)),
      kind: "spread-below-tick",
      amount: brief(spread),
      message: `at price ${priceText} makes a spread of ${brief(spread)}, below one price tick (${tickText})`,
    });
  }
  if (config.levels > 1 && lt(step, config.priceTick)) {
    problems.push({
      field: "priceStepPercent",
      value: formatDecimal(normalize(config.priceStepPercent)),
      kind: "step-below-tick",
      amount: brief(step),
      message: `at price ${priceText} makes a level step of ${brief(step)}, below one price tick (${tickText}); levels would share a price`,
    });
  }
  const outerBid = sub(
    sub(reference, half(spread)),
    mul(step, { units: BigInt(config.levels - 1), scale: 0 }),
  );
  if (sign(outerBid) <= 0) {
    problems.push({
      field: "levels",
      value: config.levels,
      kind: "outer-bid-not-positive",
      amount: brief(outerBid),
      message: `at price ${priceText} puts the outermost bid at ${brief(outerBid)} (not above 0)`,
    });
  }
  return problems;
}

/** Long products of percentages are unreadable; 8 fractional digits tell the story. */
function brief(value: Decimal): string {
  const text = formatDecimal(normalize(value));
  const dot = text.indexOf(".");
  return dot === -1 ? text : text.slice(0, dot + 9);
}

function isConfig(params: LadderParams | LadderConfig): params is LadderConfig {
  return (
    typeof params.baseSpreadPercent === "object" &&
    typeof params.priceStepPercent === "object" &&
    Array.isArray((params as Partial<LadderConfig>).sizes) &&
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
  const halfSpread = half(percentOf(reference, config.baseSpreadPercent));
  const ladder = layLevels(reference, config, sub(center, halfSpread), add(center, halfSpread));
  return options.center === undefined
    ? ladder
    : { ...ladder, center: formatDecimal(normalize(center)) };
}

/**
 * The levels of a ladder from its innermost bid and ask as exact decimals (a strategy's
 * quotes), laid outward one `PRICE_STEP_PERCENT` of P at a time, bids quantized down and
 * asks up, a level landing on the previous one's tick pushed one tick out (`pushedOut`),
 * and each level sized as configured. A bid at or below zero is a `LadderError`.
 */
export function layLevels(
  reference: Decimal,
  params: LadderParams | LadderConfig,
  innerBid: Decimal,
  innerAsk: Decimal,
): Ladder {
  const config = isConfig(params) ? params : parseLadderParams(params);
  const { priceTick: tick, levels } = config;
  const priceScale = normalize(tick).scale;
  const sizeScale = normalize(config.qtyStep).scale;
  const step = percentOf(reference, config.priceStepPercent);

  const bids: Level[] = [];
  const asks: Level[] = [];
  const pushedOut: PushedOutLevel[] = [];
  let exactBid = innerBid;
  let exactAsk = innerAsk;
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
        formatDecimal(reference),
      );
    }

    let ask = quantize(exactAsk, tick, "up");
    if (previousAsk !== undefined && lte(ask, previousAsk)) {
      const pushed = add(previousAsk, tick);
      pushedOut.push(push("sell", level, ask, pushed, priceScale));
      ask = pushed;
    }

    const quantity = formatDecimal(normalize(config.sizes[level - 1] as Decimal), sizeScale);
    bids.push({ side: "buy", level, price: formatPrice(bid, priceScale), quantity });
    asks.push({ side: "sell", level, price: formatPrice(ask, priceScale), quantity });
    previousBid = bid;
    previousAsk = ask;
  }

  return { reference: formatDecimal(reference), bids, asks, pushedOut };
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
