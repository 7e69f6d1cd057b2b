import { startBinanceTicker } from "@matchingo-mm/testkit";
import { normal, uniform } from "../tape.ts";

/** A local stand-in for Binance's price endpoint that counts what it is asked. */
export interface PriceServer {
  /** `http://127.0.0.1:PORT`, for BINANCE_URL. */
  readonly url: string;
  /** Binance symbol (`S01USDT`) → its current price (integer thousandths). */
  readonly prices: ReadonlyMap<string, number>;
  /** HTTP requests answered, all paths. */
  requests(): number;
  /** Symbols asked, summed over requests (a batch of 64 counts 64). */
  symbolsAsked(): number;
  /** When each request came (epoch ms) and how many symbols it asked. */
  readonly log: readonly { readonly at: number; readonly symbols: number }[];
  close(): Promise<void>;
}

/**
 * The test kit's Binance ticker (8-digit prices, `-1121 Invalid symbol.` for an unknown
 * symbol) over prices that walk: every `stepMs` each symbol's price moves on its own by a
 * normal draw of `sdPercent` (seeded).
 */
export async function startPriceServer(options: {
  /** Binance symbols served. */
  readonly symbols: readonly string[];
  readonly seed: number;
  readonly stepMs: number;
  readonly sdPercent: number;
}): Promise<PriceServer> {
  const start = uniform(options.seed);
  const draw = normal(options.seed + 1);
  const prices = new Map<string, number>();
  for (const symbol of options.symbols)
    prices.set(symbol, Math.round((20 + 2000 * start()) * 1000));
  const walk = setInterval(() => {
    for (const [symbol, milli] of prices) {
      const next = Math.round(milli * (1 + (options.sdPercent / 100) * draw()));
      prices.set(symbol, Math.max(1, next));
    }
  }, options.stepMs);
  walk.unref();

  const format = (milli: number) =>
    `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, "0")}00000`;
  const ticker = await startBinanceTicker({
    symbols: options.symbols,
    price: (symbol) => format(prices.get(symbol)!),
  });
  return {
    url: ticker.url,
    prices,
    requests: ticker.requests,
    symbolsAsked: ticker.symbolsAsked,
    log: ticker.log,
    close() {
      clearInterval(walk);
      return ticker.close();
    },
  };
}
