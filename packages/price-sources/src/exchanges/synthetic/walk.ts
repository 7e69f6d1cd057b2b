import type { CallOptions, Clock, Decimal, PriceTick } from "@matchingo-mm/core";
import {
  add,
  compare,
  formatDecimal,
  isDecimalString,
  mul,
  PriceError,
  parseDecimal,
  quantize,
  sub,
  systemClock,
} from "@matchingo-mm/core";
import { parsePercent } from "../../guards.ts";
import { latestOf, type PriceSource, type TickResults, uniqueSymbols } from "../../source.ts";
import { parseSymbol } from "../../symbols.ts";
import { createRandom, hashString, type Random } from "./random.ts";

export interface SyntheticOptions {
  /** Where every walk starts, or a start per symbol (then only those symbols exist). */
  readonly startPrice: string | Readonly<Record<string, string>>;
  /** Same seed, same walk. Default 1. */
  readonly seed?: number;
  /** Standard deviation of one step, in percent of the price. Default 0.02. */
  readonly volatilityPercent?: number | string;
  /** The symbols this source knows; others get `unknown-symbol`. Default: any. */
  readonly symbols?: readonly string[];
  /** Fractional digits of the prices. Default: the start price's, at least 2. */
  readonly digits?: number;
  readonly clock?: Clock;
  /** `tick.source`. Default `synthetic`. */
  readonly name?: string;
}

interface Walk {
  price: Decimal;
  readonly random: Random;
}

/** Digits kept of the random factor: far below any price tick, still exact from here on. */
const FACTOR_DIGITS = 12;

/**
 * A seeded random walk per symbol (geometric, Gaussian steps). Each `fetchTicks` moves
 * every asked symbol one step. For the sandbox, tests and benchmarks; never a fallback
 * for a real venue. Floats only make the random factor; the price stays an exact decimal.
 */
export function synthetic(options: SyntheticOptions): PriceSource {
  const name = options.name ?? "synthetic";
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new TypeError(`synthetic: seed must be an integer, got ${seed}`);
  const volatility = Number(
    formatDecimal(
      parsePercent("synthetic: volatilityPercent", options.volatilityPercent ?? "0.02"),
    ),
  );
  const starts = new Map<string, Decimal>();
  const startFor = (symbol: string): Decimal | undefined => starts.get(symbol) ?? defaultStart;
  let defaultStart: Decimal | undefined;
  if (typeof options.startPrice === "string") {
    defaultStart = checkStart("startPrice", options.startPrice);
  } else {
    for (const [symbol, price] of Object.entries(options.startPrice)) {
      starts.set(symbol, checkStart(`startPrice[${symbol}]`, price));
    }
  }
  const known = options.symbols ? new Set(options.symbols) : undefined;
  const digits =
    options.digits ?? Math.max(2, ...[...starts.values(), defaultStart].map((d) => d?.scale ?? 0));
  if (!Number.isInteger(digits) || digits < 0 || digits > 18) {
    throw new TypeError(`synthetic: digits must be an integer from 0 to 18, got ${digits}`);
  }
  const step: Decimal = { units: 1n, scale: digits };
  const walks = new Map<string, Walk>();

  function walkOf(symbol: string): Walk | undefined {
    let walk = walks.get(symbol);
    if (walk) return walk;
    const start = startFor(symbol);
    if (!start || (known && !known.has(symbol)) || !parseSymbol(symbol)) return undefined;
    walk = { price: roundToStep(start, step), random: createRandom(seed ^ hashString(symbol)) };
    walks.set(symbol, walk);
    return walk;
  }

  function move(walk: Walk): Decimal {
    // Clamped so one step can neither cross zero nor be absurd, whatever the deviate.
    const shock = Math.max(-0.5, Math.min(0.5, (volatility / 100) * walk.random.gaussian()));
    const factor = parseDecimal((1 + shock).toFixed(FACTOR_DIGITS));
    const next = roundToStep(mul(walk.price, factor), step);
    walk.price = next.units > 0n ? next : step;
    return walk.price;
  }

  async function fetchTicks(symbols: readonly string[], _options?: CallOptions) {
    const results: TickResults = new Map();
    for (const symbol of uniqueSymbols(symbols)) {
      const walk = walkOf(symbol);
      if (!walk) {
        results.set(
          symbol,
          new PriceError(`${name}: no walk for ${JSON.stringify(symbol)}`, {
            kind: "unknown-symbol",
            source: name,
            symbol,
          }),
        );
        continue;
      }
      const tick: PriceTick = {
        symbol,
        price: formatDecimal(move(walk), digits),
        receivedAt: clock.now(),
        source: name,
      };
      results.set(symbol, tick);
    }
    return results;
  }

  return { name, fetchTicks, latest: latestOf(fetchTicks) };
}

function checkStart(field: string, value: string): Decimal {
  if (!isDecimalString(value) || parseDecimal(value).units <= 0n) {
    throw new TypeError(
      `synthetic: ${field} must be a positive decimal string, got ${JSON.stringify(value)}`,
    );
  }
  return parseDecimal(value);
}

/** Nearest multiple of `step`, ties up. */
function roundToStep(value: Decimal, step: Decimal): Decimal {
  const down = quantize(value, step, "down");
  const remainder = sub(value, down);
  return compare(add(remainder, remainder), step) >= 0 ? add(down, step) : down;
}
