export { createMarketMaker } from "./create-market-maker.ts";
export { type QuoteParamsSource, quoteParamsProblems } from "./quote-params.ts";
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
} from "./types.ts";
