import type { SymbolOverrides, SymbolRule } from "../symbols.ts";
import { EXCHANGES, type ExchangeName, exchangeAdapter } from "./registry.ts";

/** An exchange the symbol rules know (the registry's). */
export type Exchange = ExchangeName;

export const SYMBOL_RULES: Readonly<Record<Exchange, SymbolRule>> = Object.freeze(
  Object.fromEntries(EXCHANGES.map((exchange) => [exchange.name, exchange.symbols])) as Record<
    Exchange,
    SymbolRule
  >,
);

/**
 * An exchange's (REST) name for a canonical symbol: the override when there is one, else
 * the exchange's rule. Throws a `SymbolError` naming the symbol when it is not `BASE-QUOTE`.
 */
export function toExchangeSymbol(
  exchange: Exchange,
  symbol: string,
  overrides: SymbolOverrides = {},
): string {
  return exchangeAdapter(exchange).toExchangeSymbol(symbol, overrides);
}

/** Every exchange's name for a canonical symbol. */
export function exchangeSymbols(symbol: string): Readonly<Record<Exchange, string>> {
  return Object.fromEntries(
    EXCHANGES.map((exchange) => [exchange.name, exchange.toExchangeSymbol(symbol)]),
  ) as Record<Exchange, string>;
}

/** The mapping for the pairs a market maker usually quotes, spelled out. */
export const SYMBOL_TABLE: Readonly<Record<string, Readonly<Record<Exchange, string>>>> =
  Object.freeze(
    Object.fromEntries(
      [
        "BTC-USDT",
        "ETH-USDT",
        "SOL-USDT",
        "DOGE-USDT",
        "BTC-USD",
        "ETH-USD",
        "DOGE-USD",
        "ETH-BTC",
        "BTC-EUR",
      ].map((symbol) => [symbol, exchangeSymbols(symbol)]),
    ),
  );
