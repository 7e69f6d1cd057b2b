import type { CallOptions, Clock, Decimal, PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import { type PriceSource, type TickResults, uniqueSymbols } from "../../source.ts";
import type { PriceTrust } from "../../trust.ts";
import { trustedEvent } from "../../trusted-event.ts";
import { medianTick, sourcesOf } from "../median.ts";
import type { FeedEvent, LatestMany } from "./types.ts";

export interface MedianModeOptions {
  readonly trust: PriceTrust;
  readonly clock: Clock;
  readonly maxTickAgeMs: number;
  /** A source further than this (percent) from the median of all fresh ones is left out. */
  readonly maxDeviation: Decimal;
  readonly emit: (event: FeedEvent) => void;
}

/**
 * Median mode's `latestMany`: every source is asked, and each symbol's price is the median
 * of the fresh answers, passed through the trust rules.
 */
export function medianMode(
  sources: readonly PriceSource[],
  options: MedianModeOptions,
): LatestMany {
  const { trust, clock, maxTickAgeMs, maxDeviation, emit } = options;

  async function medianMany(symbols: readonly string[], callOptions: CallOptions) {
    const answers = await Promise.all(
      sources.map((composite) =>
        composite.fetchTicks(symbols, callOptions).catch(
          (cause: unknown) =>
            new Map(
              symbols.map((symbol) => [
                symbol,
                new PriceError(`${composite.name}: ${String(cause)}`, {
                  kind: "bad-payload",
                  source: composite.name,
                  symbol,
                  cause,
                }),
              ]),
            ) as TickResults,
        ),
      ),
    );
    const results: TickResults = new Map();
    for (const symbol of uniqueSymbols(symbols)) {
      results.set(
        symbol,
        medianFor(
          symbol,
          answers.map((a) => a.get(symbol)),
        ),
      );
    }
    return results;
  }

  function medianFor(symbol: string, answers: (PriceTick | PriceError | undefined)[]) {
    const result = medianTick(symbol, answers, {
      now: clock.now(),
      maxTickAgeMs,
      maxDeviationPercent: maxDeviation,
      onExcluded: emit,
    });
    if (result instanceof PriceError) {
      emit({ type: "all-sources-failed", symbol, error: result });
      return result;
    }
    return trusted(symbol, result);
  }

  /** Median mode: the median passes the trust rules, backed by the sources it was made of. */
  function trusted(symbol: string, tick: PriceTick): PriceTick | PriceError {
    const backers = sourcesOf(tick);
    const reference = trust.reference(symbol);
    const verdict = trust.judge(symbol, [{ tick, backers }]);
    if (verdict.trusted) {
      const event = trustedEvent(symbol, tick, verdict, trust.rules(symbol), () => ({
        by: backers[1] ?? tick.source,
        price: tick.price,
      }));
      if (event) emit(event);
      return tick;
    }
    const error = new PriceError(`median: ${symbol}: ${verdict.message}`, {
      kind: "untrusted",
      source: tick.source,
      symbol,
    });
    if (verdict.reason === "jump") {
      emit({
        type: "jump-rejected",
        symbol,
        tick,
        lastPrice: verdict.from ?? reference ?? "",
        error: new PriceError(verdict.message, { kind: "jump", source: tick.source, symbol }),
      });
    }
    emit({
      type: "price-untrusted",
      symbol,
      reason: verdict.reason,
      message: verdict.message,
      tick,
      error,
    });
    return error;
  }

  return medianMany;
}
