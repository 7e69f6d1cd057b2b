import { defineExchange, externalSymbolsOf } from "../define-exchange.ts";
import { BINANCE_REST_URL, binance } from "./rest.ts";
import { BINANCE_WS_URL, binanceStream } from "./stream.ts";
import { BINANCE_SYMBOLS, toBinanceSymbol } from "./symbols.ts";

/** Binance spot: `ticker/price` polled, `bookTicker` (and `trade`) streamed. */
export const binanceExchange = defineExchange({
  name: "binance",
  label: "Binance",
  endpoints: { rest: BINANCE_REST_URL, ws: BINANCE_WS_URL },
  symbols: BINANCE_SYMBOLS,
  toExchangeSymbol: toBinanceSymbol,
  rest: binance,
  stream: binanceStream,
  // The user's own spelling (EXTERNAL_SYMBOL, the seed's) is Binance's; the others derive.
  // The REST poll stays one `ticker/price` request (last trade): asking its book too would
  // double the weight spent while the stream is down.
  restOptions: (settings) => ({ symbolOverrides: externalSymbolsOf(settings) }),
  streamOptions: (settings) => ({
    symbolOverrides: externalSymbolsOf(settings),
    trades: settings.priceType === "last",
  }),
});
