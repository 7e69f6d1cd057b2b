/**
 * @matchingo-mm/price-sources: reference prices from Binance, Coinbase and Kraken with
 * failover and guards, offline synthetic and replay feeds, and a shared coalescing feed.
 * Everything public is exported from here.
 */
export type { Budget } from "./budget.ts";
export {
  createFailoverChain,
  type FailoverChain,
  type FailoverOptions,
  type GuardOptions,
} from "./chain.ts";
export type { ChainEvent, ChainEventListener } from "./events.ts";
export type { ExchangeOptions } from "./exchange.ts";
export type {
  ExchangeAdapter,
  SourceAdapter,
  SourceSettings,
  SourceSymbol,
  StreamSettings,
  TapeFile,
} from "./exchanges/adapter.ts";
export { binanceExchange } from "./exchanges/binance/index.ts";
export {
  BINANCE_DEFAULT_BUDGET,
  BINANCE_REST_URL,
  type BinanceOptions,
  binance,
} from "./exchanges/binance/rest.ts";
export {
  BINANCE_WS_URL,
  type BinanceStreamOptions,
  binanceStream,
} from "./exchanges/binance/stream.ts";
export { coinbaseExchange } from "./exchanges/coinbase/index.ts";
export {
  COINBASE_DEFAULT_BUDGET,
  COINBASE_REST_URL,
  type CoinbaseOptions,
  coinbase,
} from "./exchanges/coinbase/rest.ts";
export {
  COINBASE_WS_URL,
  type CoinbaseStreamOptions,
  coinbaseStream,
} from "./exchanges/coinbase/stream.ts";
export {
  defineExchange,
  type ExchangeSpec,
  externalSymbolsOf,
} from "./exchanges/define-exchange.ts";
export { krakenExchange } from "./exchanges/kraken/index.ts";
export {
  KRAKEN_DEFAULT_BUDGET,
  KRAKEN_REST_URL,
  type KrakenOptions,
  kraken,
} from "./exchanges/kraken/rest.ts";
export {
  KRAKEN_WS_URL,
  type KrakenStreamOptions,
  krakenStream,
} from "./exchanges/kraken/stream.ts";
export { canonicalFromKrakenKey, krakenResultKeys } from "./exchanges/kraken/symbols.ts";
export {
  defaultSources,
  EXCHANGE_NAMES,
  EXCHANGES,
  type ExchangeName,
  exchangeAdapter,
  isExchangeName,
  isSourceName,
  SOURCE_NAMES,
  SOURCES,
  type SourceName,
  sourceAdapter,
} from "./exchanges/registry.ts";
export { replaySource } from "./exchanges/replay/index.ts";
export { type ReplayOptions, replay } from "./exchanges/replay/playback.ts";
export { parseTape, type TapeEntry, TapeError, type TapeFormat } from "./exchanges/replay/tape.ts";
export {
  type Exchange,
  exchangeSymbols,
  SYMBOL_RULES,
  SYMBOL_TABLE,
  toExchangeSymbol,
} from "./exchanges/symbol-table.ts";
export { syntheticSource } from "./exchanges/synthetic/index.ts";
export { type SyntheticOptions, synthetic } from "./exchanges/synthetic/walk.ts";
export {
  checkPrice,
  isJump,
  MAX_PRICE_INTEGER_DIGITS,
  MAX_PRICE_LENGTH,
  rejectTick,
} from "./guards.ts";
export type { BackoffOptions } from "./health.ts";
export { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, type HttpOptions } from "./http.ts";
export {
  createSharedFeed,
  type SharedFeed,
  type SharedFeedOptions,
  type SharedFeedStats,
} from "./shared.ts";
export type { PriceSource, TickResults } from "./source.ts";
export * from "./streams/index.ts";
export {
  type CanonicalSymbol,
  parseSymbol,
  SymbolError,
  type SymbolOverrides,
  type SymbolRule,
  spellSymbol,
} from "./symbols.ts";
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
