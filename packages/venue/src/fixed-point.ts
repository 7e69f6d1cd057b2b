/**
 * Matchingo's numbers: 64-bit fixed point with exactly three fractional digits, kept here as
 * a bigint count of thousandths. Parsing truncates finer digits silently, as the real server
 * does ("0.0129" is 0.012, "0.0004" is 0); printing always shows three digits, except zero,
 * which prints as "0".
 */
export type Fixed = bigint;

export const FIXED_DIGITS = 3;
export const FIXED_SCALE = 1000n;
export const FIXED_ZERO: Fixed = 0n;

export class FixedPointParseError extends Error {
  override readonly name = "FixedPointParseError";
  readonly input: string;

  constructor(reason: string, input: string) {
    super(reason);
    this.input = input;
  }
}

/**
 * Parses a decimal string exactly as Matchingo's parser does (fpdecimal, three digits):
 * reading stops after the third fractional digit, so whatever follows is ignored, even
 * non-digits (`"1.2345xyz"` is 1.234); `"."` is zero; and there is no overflow check (the
 * value wraps around 64 bits). Throws {@link FixedPointParseError} for what it refuses: an
 * empty string, a sign alone, a second dot or a non-digit before the cut.
 */
export function parseFixed(text: string): Fixed {
  if (text === "") throw new FixedPointParseError("empty string", text);
  let index = 0;
  const negative = text[0] === "-";
  if (negative || text[0] === "+") {
    index = 1;
    if (text.length === 1) throw new FixedPointParseError("missing digits after sign", text);
  }
  let units = 0n;
  let fractionDigits = -1; // -1 until the dot is seen
  for (; index < text.length && fractionDigits !== FIXED_DIGITS; index++) {
    const code = text.charCodeAt(index);
    if (code === 46 /* . */) {
      if (fractionDigits !== -1) throw new FixedPointParseError("multiple dots", text);
      fractionDigits = 0;
      continue;
    }
    const digit = code - 48;
    if (digit < 0 || digit > 9) throw new FixedPointParseError("bad digit", text);
    units = units * 10n + BigInt(digit);
    if (fractionDigits !== -1) fractionDigits++;
  }
  for (let d = Math.max(fractionDigits, 0); d < FIXED_DIGITS; d++) units *= 10n;
  return BigInt.asIntN(64, negative ? -units : units);
}

/** Prints a value as Matchingo does: "49975.000", "0.010", "-1.500", and "0" for zero. */
export function formatFixed(value: Fixed): string {
  if (value === 0n) return "0";
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(FIXED_DIGITS + 1, "0");
  const cut = digits.length - FIXED_DIGITS;
  return `${negative ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

export function minFixed(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}
