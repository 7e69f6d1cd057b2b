import { gt, isDecimalString, parseDecimal, ZERO } from "@matchingo-mm/core";
import * as v from "valibot";
import { decimal, text } from "./base.ts";

export const decimalPositive = v.pipe(
  decimal,
  v.check((value) => gt(parseDecimal(value), ZERO), "must be greater than 0"),
);

export const decimalNonNegative = v.pipe(
  decimal,
  v.check((value) => !value.startsWith("-"), "must not be negative"),
);

/** A whole number from `min` to `max`; `wanted` says what is wanted, for "-3" and "2.5" alike. */
function wholeNumber(wanted: string, min: number, max: number) {
  return v.pipe(
    text,
    v.regex(/^\d+$/, wanted),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
}

export const integerAttempts = wholeNumber("must be a positive whole number (1 to 10)", 1, 10);
export const integerConfirmations = wholeNumber(
  "must be a positive whole number (1 to 100)",
  1,
  100,
);
export const integerClients = wholeNumber("must be a whole number", 1, 10_000);
export const integerLevels = wholeNumber("must be a positive whole number (1 to 100)", 1, 100);

export const integerSeed = v.pipe(
  text,
  v.regex(/^\d{1,9}$/, "must be a whole number (up to 9 digits)"),
  v.transform(Number),
);

export const milliseconds = v.pipe(
  text,
  v.regex(/^\d{1,5}$/, "must be a whole number of ms from 0 to 60000"),
  v.transform(Number),
  v.maxValue(60_000, "must be a whole number of ms from 0 to 60000"),
);

function isSeconds(value: string): boolean {
  return isDecimalString(value) && Number(value) >= 0.05 && Number(value) <= 86_400;
}

/** Seconds as given (fractions allowed), resolved to whole ms. */
export const seconds = v.pipe(
  text,
  v.check(isSeconds, "must be a number of seconds from 0.05 to 86400 (e.g. 10 or 0.5)"),
  v.transform((value) => Math.round(Number(value) * 1000)),
);
