import { type ExchangeKit, startExchangeKit } from "./kit.ts";
import { closedPortUrl } from "./ports.ts";

export interface PriceServer {
  /** `http://127.0.0.1:PORT`: use it as BINANCE_URL, COINBASE_URL and KRAKEN_URL. */
  readonly url: string;
  /** Canonical symbol (`BTC-USDT`) → the price every exchange answers; `set` moves it. */
  readonly prices: Map<string, string>;
  /** Symbols every exchange answers with an error. */
  readonly failing: Set<string>;
  /** Requests served, by exchange. */
  readonly requests: { binance: number; coinbase: number; kraken: number };
  /** The kit itself: its streams' controls (drop, refuse, silence, push rates...). */
  readonly kit: ExchangeKit;
  /**
   * The REST and WebSocket URLs of all three exchanges, for PRICE_FEED=stream (without the
   * WS URLs the runner polls an exchange whose REST URL was redirected).
   */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The REST tickers of Binance, Coinbase and Kraken on 127.0.0.1, from `prices` (bid = ask =
 * last): the exchange kit behind the small interface the runner's end-to-end tests use.
 */
export async function startPriceServer(initial: Record<string, string>): Promise<PriceServer> {
  const kit = await startExchangeKit({ prices: initial });
  class KitPrices extends Map<string, string> {
    override set(symbol: string, price: string): this {
      super.set(symbol, price);
      kit?.setPrice(symbol, price);
      return this;
    }
  }
  const prices = new KitPrices(Object.entries(initial));
  return {
    url: kit.url,
    prices,
    failing: kit.failing,
    requests: kit.requests,
    kit,
    env: {
      BINANCE_URL: kit.url,
      COINBASE_URL: kit.url,
      KRAKEN_URL: kit.url,
      BINANCE_WS_URL: kit.binance.url,
      COINBASE_WS_URL: kit.coinbase.url,
      KRAKEN_WS_URL: kit.kraken.url,
    },
    close: () => kit.close(),
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused at once). */
export async function closedPort(): Promise<number> {
  return Number(new URL(await closedPortUrl()).port);
}
