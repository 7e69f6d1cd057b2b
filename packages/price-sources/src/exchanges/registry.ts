import type { PriceSource } from "../source.ts";
import type { ExchangeAdapter, SourceAdapter } from "./adapter.ts";
import { binanceExchange } from "./binance/index.ts";
import { coinbaseExchange } from "./coinbase/index.ts";
import { krakenExchange } from "./kraken/index.ts";
import { replaySource } from "./replay/index.ts";
import { syntheticSource } from "./synthetic/index.ts";

/**
 * Every exchange, in the default failover order. Adding one is a folder beside these
 * (`rest`, `stream`, `symbols`, an `index` exporting its adapter) and a line here.
 */
export const EXCHANGES = [binanceExchange, coinbaseExchange, krakenExchange] as const;

/** Every source a runner may list: the exchanges, then the local stand-ins. */
export const SOURCES = [...EXCHANGES, syntheticSource, replaySource] as const;

export type ExchangeName = (typeof EXCHANGES)[number]["name"];
export type SourceName = (typeof SOURCES)[number]["name"];

export const EXCHANGE_NAMES: readonly ExchangeName[] = Object.freeze(EXCHANGES.map((e) => e.name));
export const SOURCE_NAMES: readonly SourceName[] = Object.freeze(SOURCES.map((s) => s.name));

export function isExchangeName(name: string): name is ExchangeName {
  return (EXCHANGE_NAMES as readonly string[]).includes(name);
}

export function isSourceName(name: string): name is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(name);
}

/** The adapter of a source named in PRICE_SOURCES; throws for a name it does not know. */
export function sourceAdapter(name: string): SourceAdapter {
  const found = SOURCES.find((source) => source.name === name);
  if (found === undefined) {
    throw new TypeError(`no price source ${JSON.stringify(name)} (${SOURCE_NAMES.join(", ")})`);
  }
  return found;
}

export function exchangeAdapter(name: string): ExchangeAdapter {
  const found = EXCHANGES.find((exchange) => exchange.name === name);
  if (found === undefined) {
    throw new TypeError(`no exchange ${JSON.stringify(name)} (${EXCHANGE_NAMES.join(", ")})`);
  }
  return found;
}

/** Binance → Coinbase → Kraken (the registry's order) at their public URLs, with their default budgets. */
export function defaultSources(): PriceSource[] {
  return EXCHANGES.map((exchange) => exchange.rest());
}
