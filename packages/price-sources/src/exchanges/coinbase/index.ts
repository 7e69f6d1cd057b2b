import { defineExchange } from "../define-exchange.ts";
import { COINBASE_REST_URL, coinbase } from "./rest.ts";
import { COINBASE_WS_URL, coinbaseStream } from "./stream.ts";
import { COINBASE_SYMBOLS, toCoinbaseSymbol } from "./symbols.ts";

/** Coinbase Exchange: one `ticker` request per product polled, `ticker` streamed. */
export const coinbaseExchange = defineExchange({
  name: "coinbase",
  label: "Coinbase Exchange",
  endpoints: { rest: COINBASE_REST_URL, ws: COINBASE_WS_URL },
  symbols: COINBASE_SYMBOLS,
  toExchangeSymbol: toCoinbaseSymbol,
  rest: coinbase,
  stream: coinbaseStream,
});
