import { startBinanceTicker } from "@matchingo-mm/testkit";
import type { PriceEvent } from "./analysis.ts";

/**
 * A local stand-in for Binance's REST ticker for one bot (the test kit's Binance ticker):
 * every answer moves each symbol it names between two prices, so every fetch brings a new
 * price and a whole new ladder. Each answer is timed as it is sent (`performance.now()`),
 * the start of fetch-to-quote.
 */
export interface PeerPriceServer {
  readonly url: string;
  /** Every answer: when it was sent and which symbols (Binance names) it priced. */
  readonly answers: readonly PriceEvent[];
  close(): Promise<void>;
}

export async function startPeerPriceServer(options: {
  /** Binance symbols served (`G01USDT`). */
  readonly symbols: readonly string[];
  /** The two prices every symbol alternates between ("50000.00000000", ...). */
  readonly prices: readonly [string, string];
}): Promise<PeerPriceServer> {
  const flips = new Map(options.symbols.map((symbol) => [symbol, 0]));
  const ticker = await startBinanceTicker({
    symbols: options.symbols,
    price(symbol) {
      const n = flips.get(symbol)!;
      flips.set(symbol, n + 1);
      return options.prices[n % 2]!;
    },
  });
  return { url: ticker.url, answers: ticker.answers, close: () => ticker.close() };
}
