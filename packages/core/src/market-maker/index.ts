export { createMarketMaker } from "./create-market-maker.ts";
export type { RestoredPnl } from "./fill-ledger.ts";
export { type QuoteParamsSource, quoteParamsProblems } from "./quote-params.ts";
export {
  applyRisk,
  describeRisk,
  type ParsedRisk,
  parseRisk,
  type RiskLimits,
  type RiskOptions,
} from "./risk-settings.ts";
export type { RestoredOrderFills } from "./stream-fills.ts";
export type {
  FillPolling,
  MarketMaker,
  MarketMakerOptions,
  MarketMakerSnapshot,
  OrderState,
  OrderView,
  QuoteParams,
  QuoteParamsInput,
  QuotingState,
  RiskPatch,
  RiskSnapshot,
} from "./types.ts";
