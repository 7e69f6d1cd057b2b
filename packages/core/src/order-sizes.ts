import type { ConfigProblem } from "./config-error.ts";
import { describeValue } from "./config-error.ts";
import { add, type Decimal, formatDecimal, gt, mul, normalize, quantize, sign } from "./decimal.ts";
import { readDecimal } from "./decimal-input.ts";

/**
 * How big each level's order is. `orderSize` alone: every level the same (the seed). A
 * list: one size per level, innermost first. `orderSizeStep`: level i gets
 * `orderSize + (i − 1) × step` (Hummingbot's `order_level_amount`). `orderSizeMultiplier`:
 * level i gets `orderSize × multiplier^(i − 1)`. One form at a time.
 */
export interface SizeForm {
  readonly orderSize: Decimal | readonly Decimal[];
  readonly orderSizeStep?: Decimal;
  readonly orderSizeMultiplier?: Decimal;
}

/**
 * Bounds a size grown by a multiplier: past it the venue (int64 thousandths) could not hold
 * the quantity anyway, and bigints of a thousand digits are not worth computing.
 */
const MAX_EXACT_SIZE: Decimal = { units: 10n ** 18n, scale: 0 };

/**
 * The exact (unquantized) size of each level, innermost first, or the problems of the form:
 * both a step and a multiplier, a list with either, a list whose length is not `levels`,
 * a step below 0 or a multiplier not above 0. Fields are `orderSize`, `orderSizeStep` and
 * `orderSizeMultiplier`.
 */
export function formSizes(
  form: SizeForm,
  levels: number,
): { sizes?: readonly Decimal[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const { orderSize, orderSizeStep: step, orderSizeMultiplier: multiplier } = form;
  const isList = Array.isArray(orderSize);
  if (step !== undefined && multiplier !== undefined) {
    problems.push({
      field: "orderSizeStep",
      value: formatDecimal(step),
      message: `orderSizeStep and orderSizeMultiplier cannot both be set (sizes grow one way: give one, remove the other)`,
    });
  }
  if (isList && (step !== undefined || multiplier !== undefined)) {
    const field = step !== undefined ? "orderSizeStep" : "orderSizeMultiplier";
    problems.push({
      field,
      value: formatDecimal((step ?? multiplier) as Decimal),
      message: `${field} cannot be set with a list of sizes in orderSize (a list already gives every level its size)`,
    });
  }
  if (step !== undefined && sign(step) < 0) {
    problems.push({
      field: "orderSizeStep",
      value: formatDecimal(step),
      message: `orderSizeStep must be >= 0, got ${formatDecimal(step)}`,
    });
  }
  if (multiplier !== undefined && sign(multiplier) <= 0) {
    problems.push({
      field: "orderSizeMultiplier",
      value: formatDecimal(multiplier),
      message: `orderSizeMultiplier must be > 0, got ${formatDecimal(multiplier)}`,
    });
  }
  if (isList) {
    const list = orderSize as readonly Decimal[];
    if (list.length !== levels) {
      problems.push({
        field: "orderSize",
        value: list.map((size) => formatDecimal(size)).join(","),
        message: `orderSize lists ${list.length} size${list.length === 1 ? "" : "s"} but there are ${levels} levels a side (one size, or one per level)`,
      });
    }
  }
  if (problems.length > 0) return { problems };
  if (isList) return { sizes: orderSize as readonly Decimal[], problems };
  const first = orderSize as Decimal;
  const sizes: Decimal[] = [first];
  for (let level = 2; level <= levels; level++) {
    const previous = sizes[level - 2] as Decimal;
    let next = previous;
    if (step !== undefined) next = add(previous, step);
    if (multiplier !== undefined) next = normalize(mul(previous, multiplier));
    // One size for every level is the venue limits' to check; a step or a multiplier's growth is ours.
    if ((step !== undefined || multiplier !== undefined) && gt(next, MAX_EXACT_SIZE)) {
      const field = step !== undefined ? "orderSizeStep" : "orderSizeMultiplier";
      problems.push({
        field,
        value: formatDecimal((step ?? multiplier) as Decimal),
        message: `${field} makes level ${level}'s size larger than ${formatDecimal(MAX_EXACT_SIZE)}`,
      });
      return { problems };
    }
    sizes.push(next);
  }
  return { sizes, problems };
}

/**
 * Each level's size quantized down to the lot step, or the problems: the form's, and any
 * level that quantizes to zero (named by the setting that made it so).
 */
export function levelSizes(
  form: SizeForm,
  levels: number,
  qtyStep: Decimal,
): { sizes?: readonly Decimal[]; problems: ConfigProblem[] } {
  const formed = formSizes(form, levels);
  if (!formed.sizes) return formed;
  const problems: ConfigProblem[] = [];
  const sizes = formed.sizes.map((exact, index) => {
    const size = quantize(exact, qtyStep, "down");
    // The first level too small says it; the ones outside it would repeat it.
    if (sign(size) <= 0 && problems.length === 0) {
      const field =
        index === 0 || Array.isArray(form.orderSize)
          ? "orderSize"
          : form.orderSizeMultiplier !== undefined
            ? "orderSizeMultiplier"
            : "orderSize";
      const value =
        field === "orderSizeMultiplier"
          ? formatDecimal(form.orderSizeMultiplier as Decimal)
          : describeSizes(form.orderSize);
      problems.push({
        field,
        value,
        message: `${field === "orderSize" ? "orderSize" : field} ${value} makes level ${index + 1}'s size ${formatDecimal(normalize(exact))}, which quantizes to 0 at qtyStep ${formatDecimal(normalize(qtyStep))}`,
      });
    }
    return size;
  });
  return problems.length > 0 ? { problems } : { sizes, problems };
}

/** A size or a list of sizes as a user writes it: `0.01` or `0.01,0.02,0.04`. */
export function describeSizes(orderSize: Decimal | readonly Decimal[]): string {
  return Array.isArray(orderSize)
    ? (orderSize as readonly Decimal[]).map((size) => formatDecimal(normalize(size))).join(",")
    : formatDecimal(normalize(orderSize as Decimal));
}

/**
 * Reads `orderSize` as given: a decimal, a list of decimals, or a comma list in one string
 * (`"0.01,0.02"`, as configuration writes it). Each must be > 0.
 */
export function readSizes(
  input: unknown,
  problems: ConfigProblem[],
): Decimal | readonly Decimal[] | undefined {
  const items: unknown[] | undefined = Array.isArray(input)
    ? input
    : typeof input === "string" && input.includes(",")
      ? input.split(",").map((item) => item.trim())
      : undefined;
  const one = (item: unknown): Decimal | undefined => {
    let value: Decimal;
    try {
      value = readDecimal("orderSize", item);
    } catch (error) {
      problems.push({ field: "orderSize", value: input, message: (error as Error).message });
      return undefined;
    }
    if (sign(value) <= 0) {
      problems.push({
        field: "orderSize",
        value: input,
        message: `orderSize must be > 0, got ${describeValue(input)}`,
      });
      return undefined;
    }
    return value;
  };
  if (items === undefined) return one(input);
  if (items.length === 0) {
    problems.push({ field: "orderSize", value: input, message: "orderSize lists no size" });
    return undefined;
  }
  const sizes = items.map(one);
  return sizes.every((size) => size !== undefined) ? (sizes as Decimal[]) : undefined;
}
