import type { CallOptions, Clock } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import { asPriceError, type ExchangeContext } from "./exchange.ts";
import { failAll, latestOf, type PriceSource, type TickResults, uniqueSymbols } from "./source.ts";

/** One request for `wanted` (canonical → exchange symbol); rejects when it fails them all. */
export type FetchRound = (
  wanted: Map<string, string>,
  results: TickResults,
  options: CallOptions | undefined,
) => Promise<void>;

export interface UnknownSymbols {
  /**
   * Fetches `wanted` in one round. When the exchange refuses the whole list for an unknown
   * symbol (Binance and Kraken do), asks one by one to learn which, and answers those from
   * memory for `ttlMs` so they stop poisoning the list.
   */
  fetch(wanted: Map<string, string>, results: TickResults, options?: CallOptions): Promise<void>;
}

export function createUnknownSymbols(
  source: string,
  clock: Clock,
  ttlMs: number,
  fetchRound: FetchRound,
): UnknownSymbols {
  const knownUnknown = new Map<string, number>();

  function answerFromMemory(wanted: Map<string, string>, results: TickResults): void {
    const now = clock.now();
    for (const [symbol, exchangeSymbol] of wanted) {
      const until = knownUnknown.get(exchangeSymbol);
      if (until === undefined) continue;
      if (until <= now) {
        knownUnknown.delete(exchangeSymbol);
        continue;
      }
      results.set(
        symbol,
        new PriceError(`${source}: ${exchangeSymbol} is not listed (learned earlier)`, {
          kind: "unknown-symbol",
          source,
          symbol,
        }),
      );
      wanted.delete(symbol);
    }
  }

  async function one(
    symbol: string,
    exchangeSymbol: string,
    results: TickResults,
    options: CallOptions | undefined,
  ): Promise<void> {
    try {
      await fetchRound(new Map([[symbol, exchangeSymbol]]), results, options);
    } catch (error) {
      const failure = asPriceError(error, source);
      if (failure.kind === "unknown-symbol") {
        knownUnknown.set(exchangeSymbol, clock.now() + ttlMs);
      }
      failAll(results, [symbol], failure);
    }
  }

  return {
    async fetch(wanted, results, options) {
      answerFromMemory(wanted, results);
      if (wanted.size === 0) return;
      try {
        await fetchRound(wanted, results, options);
      } catch (error) {
        const failure = asPriceError(error, source);
        if (failure.kind !== "unknown-symbol") {
          failAll(results, wanted.keys(), failure);
          return;
        }
        if (wanted.size === 1) {
          for (const exchangeSymbol of wanted.values()) {
            knownUnknown.set(exchangeSymbol, clock.now() + ttlMs);
          }
          failAll(results, wanted.keys(), failure);
          return;
        }
        await Promise.all(
          [...wanted].map(([symbol, exchangeSymbol]) =>
            one(symbol, exchangeSymbol, results, options),
          ),
        );
      }
    },
  };
}

/**
 * A source for an exchange that answers many symbols per request (Binance, Kraken): one
 * round per call, with unknown symbols learned and kept out of later rounds.
 */
export function createBatchedSource(
  context: ExchangeContext,
  fetchRound: FetchRound,
  unknownSymbolTtlMs = 600_000,
): PriceSource {
  const unknown = createUnknownSymbols(context.name, context.clock, unknownSymbolTtlMs, fetchRound);

  async function fetchTicks(symbols: readonly string[], callOptions?: CallOptions) {
    const results: TickResults = new Map();
    const wanted = context.resolve(uniqueSymbols(symbols), results);
    await unknown.fetch(wanted, results, callOptions);
    return results;
  }

  return { name: context.name, fetchTicks, latest: latestOf(fetchTicks) };
}
