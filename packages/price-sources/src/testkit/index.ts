/**
 * Local exchange servers for tests (Node only: `node:http` and the `ws` package): one
 * server on 127.0.0.1 answering the REST tickers and the WebSocket feeds of Binance,
 * Coinbase and Kraken the way the real ones do, from prices the test sets, with controls
 * for every failure a stream must survive. Import from `@matchingo-mm/price-sources/testkit`.
 */
export {
  EXCHANGE_NAMES,
  type ExchangeKit,
  type ExchangeKitOptions,
  type ExchangeName,
  type KitQuote,
  type RestFault,
  type StreamControls,
  startExchangeKit,
} from "./kit.ts";
export { closedPortUrl } from "./ports.ts";
