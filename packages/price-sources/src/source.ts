import type { CallOptions, PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";

/** One answer per symbol asked: a tick, or the typed reason there is none. */
export type TickResults = Map<string, PriceTick | PriceError>;

/**
 * A place prices come from: an exchange adapter, an offline feed, or a chain of them.
 * `fetchTicks` never rejects for a failed price; each symbol's failure is in the map.
 */
export interface PriceSource {
  readonly name: string;
  /** One round per call, batched where the exchange allows it. Symbols are `BASE-QUOTE`. */
  fetchTicks(symbols: readonly string[], options?: CallOptions): Promise<TickResults>;
  /** One symbol's tick, or a rejection with a `PriceError`. */
  latest(symbol: string, options?: CallOptions): Promise<PriceTick>;
}

/** `latest` in terms of `fetchTicks`, so every source answers both the same way. */
export function latestOf(
  fetchTicks: PriceSource["fetchTicks"],
): (symbol: string, options?: CallOptions) => Promise<PriceTick> {
  return async (symbol, options) => {
    const answer = (await fetchTicks([symbol], options)).get(symbol);
    if (answer instanceof PriceError) throw answer;
    if (answer === undefined) {
      throw new PriceError(`no answer for ${symbol}`, { kind: "bad-payload", symbol });
    }
    return answer;
  };
}

/** The same error for every symbol, each naming its own symbol. */
export function failAll(
  results: TickResults,
  symbols: Iterable<string>,
  error: PriceError,
): TickResults {
  for (const symbol of symbols) results.set(symbol, forSymbol(error, symbol));
  return results;
}

/** A copy of `error` that names `symbol`, keeping the original as its cause. */
export function forSymbol(error: PriceError, symbol: string): PriceError {
  if (error.symbol === symbol) return error;
  return new PriceError(error.message, {
    kind: error.kind,
    source: error.source,
    symbol,
    retryAfterMs: error.retryAfterMs,
    status: error.status,
    cause: error.cause ?? error,
  });
}

export function uniqueSymbols(symbols: readonly string[]): string[] {
  return [...new Set(symbols)];
}
