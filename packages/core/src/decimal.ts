/**
 * Exact decimal numbers as bigint fixed point: `units / 10^scale`.
 *
 * Prices and sizes travel as decimal strings from the price source to the venue; no
 * float ever touches them. Every operation here is exact except the explicit
 * quantizers, which round in the direction the caller names.
 */

export interface Decimal {
  /** The value times 10^scale. */
  readonly units: bigint;
  /** How many fractional digits `units` carries; never negative. */
  readonly scale: number;
}

export class DecimalError extends Error {
  override readonly name = "DecimalError";
  readonly input: unknown;

  constructor(message: string, input: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.input = input;
  }
}

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/;
/** Longer inputs are refused rather than parsed: nothing real needs them. */
const MAX_DIGITS = 60;

const POWERS_OF_TEN: bigint[] = [];
function tenTo(exponent: number): bigint {
  let power = POWERS_OF_TEN[exponent];
  if (power === undefined) {
    power = 10n ** BigInt(exponent);
    POWERS_OF_TEN[exponent] = power;
  }
  return power;
}

export function decimal(units: bigint, scale = 0): Decimal {
  if (!Number.isInteger(scale) || scale < 0) {
    throw new DecimalError(`scale must be a whole number >= 0, got ${scale}`, scale);
  }
  return { units, scale };
}

/**
 * Parses a plain decimal string: an optional sign, digits, an optional dot and digits.
 * Exponents, spaces, `NaN`, `Infinity`, commas and empty strings are refused.
 */
export function parseDecimal(text: string): Decimal {
  if (typeof text !== "string") {
    throw new DecimalError(`expected a decimal string, got ${typeof text}`, text);
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (!match || text.length > MAX_DIGITS) {
    throw new DecimalError(`not a decimal number: ${JSON.stringify(text)}`, text);
  }
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

/** True when `text` is a string `parseDecimal` accepts. */
export function isDecimalString(text: unknown): text is string {
  return typeof text === "string" && text.length <= MAX_DIGITS && DECIMAL_PATTERN.test(text);
}

/**
 * Formats without exponent. `minScale` pads fractional digits (e.g. 2 for cents);
 * trailing zeros beyond the value's own scale are otherwise kept as they are.
 */
export function formatDecimal(value: Decimal, minScale = 0): string {
  const shown = value.scale < minScale ? rescale(value, minScale) : value;
  const negative = shown.units < 0n;
  const digits = (negative ? -shown.units : shown.units).toString().padStart(shown.scale + 1, "0");
  const whole = digits.slice(0, digits.length - shown.scale);
  const fraction = digits.slice(digits.length - shown.scale);
  const body = shown.scale > 0 ? `${whole}.${fraction}` : whole;
  return negative ? `-${body}` : body;
}

/** Drops trailing fractional zeros: 1.2500 → 1.25, 3.000 → 3. */
export function normalize(value: Decimal): Decimal {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** The same value with more fractional digits (exact). */
function rescale(value: Decimal, scale: number): Decimal {
  if (scale < value.scale) {
    throw new DecimalError(`cannot rescale ${formatDecimal(value)} down to ${scale} digits`, value);
  }
  return { units: value.units * tenTo(scale - value.scale), scale };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale).units, rescale(b, scale).units, scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x - y, scale };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return normalize({ units: a.units * b.units, scale: a.scale + b.scale });
}

export function neg(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

/** Divides by 10^exponent, exactly (it only moves the point). */
export function shiftLeft(a: Decimal, exponent: number): Decimal {
  return normalize({ units: a.units, scale: a.scale + exponent });
}

/** `value * percent / 100`, exact. */
export function percentOf(value: Decimal, percent: Decimal): Decimal {
  return shiftLeft(mul(value, percent), 2);
}

/** `value / 2`, exact (5/10). */
export function half(value: Decimal): Decimal {
  return shiftLeft(mul(value, { units: 5n, scale: 0 }), 1);
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const eq = (a: Decimal, b: Decimal): boolean => compare(a, b) === 0;
export const lt = (a: Decimal, b: Decimal): boolean => compare(a, b) < 0;
export const lte = (a: Decimal, b: Decimal): boolean => compare(a, b) <= 0;
export const gt = (a: Decimal, b: Decimal): boolean => compare(a, b) > 0;
export const gte = (a: Decimal, b: Decimal): boolean => compare(a, b) >= 0;

export function sign(a: Decimal): -1 | 0 | 1 {
  return a.units < 0n ? -1 : a.units > 0n ? 1 : 0;
}

export function isZero(a: Decimal): boolean {
  return a.units === 0n;
}

export function abs(a: Decimal): Decimal {
  return a.units < 0n ? neg(a) : a;
}

export function min(a: Decimal, b: Decimal): Decimal {
  return lte(a, b) ? a : b;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return gte(a, b) ? a : b;
}

export type Rounding = "down" | "up";

/**
 * The nearest multiple of `step` at or below (`down`) or at or above (`up`) `value`.
 * `down` is floor and `up` is ceiling, for negative values too.
 */
export function quantize(value: Decimal, step: Decimal, rounding: Rounding): Decimal {
  if (step.units <= 0n) {
    throw new DecimalError(`step must be > 0, got ${formatDecimal(step)}`, step);
  }
  const [x, s, scale] = aligned(value, step);
  let multiples = x / s; // truncates toward zero
  const exact = multiples * s === x;
  if (!exact) {
    if (rounding === "down" && x < 0n) multiples -= 1n;
    if (rounding === "up" && x > 0n) multiples += 1n;
  }
  return normalize({ units: multiples * s, scale });
}

/** True when `value` is a whole multiple of `step`. */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  const [x, s] = aligned(value, step);
  return s !== 0n && x % s === 0n;
}

/**
 * `a / b` rounded to `scale` fractional digits in the given direction. For ratios
 * (tolerances, jump percentages), never for prices on their way to an order.
 */
export function divide(a: Decimal, b: Decimal, scale: number, rounding: Rounding): Decimal {
  if (b.units === 0n) throw new DecimalError("division by zero", b);
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale)
  const numerator = a.units * tenTo(scale + b.scale);
  const denominator = b.units * tenTo(a.scale);
  let quotient = numerator / denominator;
  const exact = quotient * denominator === numerator;
  const negative = numerator < 0n !== denominator < 0n;
  if (!exact) {
    if (rounding === "down" && negative) quotient -= 1n;
    if (rounding === "up" && !negative) quotient += 1n;
  }
  return normalize({ units: quotient, scale });
}

/** For display and metrics only; never on the path to an order price. */
export function toNumber(a: Decimal): number {
  return Number(formatDecimal(a));
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });
