/**
 * @matchingo-mm/price-sources: reference prices from Binance, Coinbase and Kraken with
 * failover and guards, offline synthetic and replay feeds, and a shared coalescing feed.
 * Everything public is exported from here.
 */
export { BINANCE_DEFAULT_BUDGET, type BinanceOptions, binance } from "./binance.ts";
export type { Budget } from "./budget.ts";
export {
  createFailoverChain,
  defaultSources,
  type FailoverChain,
  type FailoverOptions,
  type GuardOptions,
} from "./chain.ts";
export { COINBASE_DEFAULT_BUDGET, type CoinbaseOptions, coinbase } from "./coinbase.ts";
export type { ChainEvent, ChainEventListener } from "./events.ts";
export type { ExchangeOptions } from "./exchange.ts";
export {
  checkPrice,
  isJump,
  MAX_PRICE_INTEGER_DIGITS,
  MAX_PRICE_LENGTH,
  rejectTick,
} from "./guards.ts";
export type { BackoffOptions } from "./health.ts";
export { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, type HttpOptions } from "./http.ts";
export { KRAKEN_DEFAULT_BUDGET, type KrakenOptions, kraken } from "./kraken.ts";
export { type ReplayOptions, replay } from "./replay.ts";
export {
  createSharedFeed,
  type SharedFeed,
  type SharedFeedOptions,
  type SharedFeedStats,
} from "./shared.ts";
export type { PriceSource, TickResults } from "./source.ts";
export * from "./streams/index.ts";
export {
  canonicalFromKrakenKey,
  type Exchange,
  exchangeSymbols,
  krakenResultKeys,
  parseSymbol,
  SYMBOL_RULES,
  SYMBOL_TABLE,
  SymbolError,
  type SymbolOverrides,
  type SymbolRule,
  toExchangeSymbol,
} from "./symbols.ts";
export { type SyntheticOptions, synthetic } from "./synthetic.ts";
export { parseTape, type TapeEntry, TapeError, type TapeFormat } from "./tape.ts";
export {
  createPriceTrust,
  judgeRound,
  needsFirstPrice,
  type Observation,
  type PriceTrust,
  parseTrustRules,
  type TrustedHow,
  type TrustOptions,
  type TrustRules,
  type TrustState,
  type TrustStatus,
  type TrustVerdict,
  type UntrustedReason,
} from "./trust.ts";
