import { gt, isDecimalString, parseDecimal, ZERO } from "@matchingo-mm/core";
import { EXCHANGE_NAMES, SOURCE_NAMES, type SourceName } from "@matchingo-mm/price-sources";
import * as v from "valibot";
import { list, text } from "./base.ts";

// The sources PRICE_SOURCES may name are the price-sources registry's.
export { SOURCE_NAMES, type SourceName };
export const LIVE_SOURCES: readonly SourceName[] = EXCHANGE_NAMES;

const isSourceName = (name: string): name is SourceName =>
  (SOURCE_NAMES as readonly string[]).includes(name);

/** Any text but the empty one. */
export const nonEmptyText = v.pipe(text, v.minLength(1, "must not be empty"));

export const path = v.pipe(text, v.minLength(1, "must not be empty"));

export const id = v.pipe(
  text,
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "must be 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit",
  ),
);

const SYMBOL = /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/;
export const symbol = v.pipe(
  text,
  v.transform((value) => value.toUpperCase()),
  v.check((value) => SYMBOL.test(value), "must be BASE-QUOTE, e.g. BTC-USDT"),
);

export const symbolList = v.pipe(
  list,
  v.minLength(1, "must name at least one symbol"),
  v.transform((names) => names.map((name) => name.toUpperCase())),
  v.check(
    (names) => names.every((name) => SYMBOL.test(name)),
    "every symbol must be BASE-QUOTE, e.g. BTC-USDT,ETH-USDT",
  ),
  v.check((names) => new Set(names).size === names.length, "names a symbol twice"),
);

export const sources = v.pipe(
  list,
  v.minLength(1, "must name at least one source"),
  v.check(
    (names) => names.every(isSourceName),
    `must list sources from ${SOURCE_NAMES.join(", ")}`,
  ),
  v.check((names) => new Set(names).size === names.length, "names a source twice"),
  // Checked above: the names are sources.
  v.transform((names) => names as SourceName[]),
);

/** One size, or one per level: a comma list or a list in the file, kept as `a,b,c`. */
export const sizes = v.pipe(
  v.union(
    [v.string(), v.number(), v.array(v.union([v.string(), v.number()]))],
    "must be a size, or a list of one size per level",
  ),
  v.transform((value) =>
    (Array.isArray(value) ? value.map(String) : String(value).split(","))
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  ),
  v.minLength(1, "must be a size, or one size per level like 0.01,0.02,0.04"),
  // One size keeps the message of every other decimal; a list says what a list needs.
  v.check(
    (items) => items.length > 1 || isDecimalString(items[0]),
    "must be a plain decimal number like 0.1 (no exponent, no unit)",
  ),
  v.check(
    (items) => items.length === 1 || items.every((item) => isDecimalString(item)),
    "must be plain decimal numbers, one per level like 0.01,0.02,0.04 (no exponent, no unit)",
  ),
  v.check(
    (items) => items.every((item) => !isDecimalString(item) || gt(parseDecimal(item), ZERO)),
    "must be greater than 0",
  ),
  v.transform((items) => items.join(",")),
);
