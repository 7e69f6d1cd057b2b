import { defineExchange } from "../define-exchange.ts";
import { KRAKEN_REST_URL, kraken } from "./rest.ts";
import { KRAKEN_WS_URL, krakenStream } from "./stream.ts";
import { KRAKEN_SYMBOLS, toKrakenSymbol } from "./symbols.ts";

/** Kraken: `Ticker` polled (batched), WebSocket v2 `ticker` on every best bid/offer. */
export const krakenExchange = defineExchange({
  name: "kraken",
  label: "Kraken",
  endpoints: { rest: KRAKEN_REST_URL, ws: KRAKEN_WS_URL },
  symbols: KRAKEN_SYMBOLS,
  toExchangeSymbol: toKrakenSymbol,
  rest: kraken,
  stream: krakenStream,
});
