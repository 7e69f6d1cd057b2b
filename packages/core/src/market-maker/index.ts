export {
  applyRisk,
  describeRisk,
  type ParsedRisk,
  parseRisk,
  type RiskLimits,
  type RiskOptions,
} from "../risk/risk-settings.ts";
export { createMarketMaker } from "./create-market-maker.ts";
export { type QuoteParamsSource, quoteParamsProblems } from "./quote-params.ts";
export type {
  FillPolling,
  OrderState,
  OrderView,
  QuoteParams,
  QuoteParamsInput,
  RestoredOrderFills,
  RestoredPnl,
} from "./shared-types.ts";
export type {
  MarketMaker,
  MarketMakerOptions,
  MarketMakerSnapshot,
  QuotingState,
  RiskPatch,
  RiskSnapshot,
} from "./types.ts";
