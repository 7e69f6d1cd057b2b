import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
 * Answers `/api/v3/ticker/price?symbol=X` and `?symbols=["X","Y"]` as Binance does
 * (8-digit prices, `-1121 Invalid symbol.` for an unknown one). Every symbol's price
 * walks on its own: every `stepMs` it moves by a normal draw of `sdPercent` (seeded).
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

  let requests = 0;
  let symbolsAsked = 0;
  const log: { at: number; symbols: number }[] = [];
  const format = (milli: number) =>
    `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, "0")}00000`;
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const invalid = (response: ServerResponse) =>
    json(response, 400, { code: -1121, msg: "Invalid symbol." });

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/api/v3/ticker/price") {
      return json(response, 404, { code: -1, msg: "not found" });
    }
    const single = url.searchParams.get("symbol");
    if (single !== null) {
      symbolsAsked++;
      log.push({ at: Date.now(), symbols: 1 });
      const milli = prices.get(single);
      if (milli === undefined) return invalid(response);
      return json(response, 200, { symbol: single, price: format(milli) });
    }
    let asked: unknown;
    try {
      asked = JSON.parse(url.searchParams.get("symbols") ?? "");
    } catch {
      return json(response, 400, {
        code: -1100,
        msg: "Illegal characters found in parameter 'symbols'",
      });
    }
    if (!Array.isArray(asked)) return invalid(response);
    symbolsAsked += asked.length;
    log.push({ at: Date.now(), symbols: asked.length });
    const answer: { symbol: string; price: string }[] = [];
    for (const symbol of asked) {
      const milli = typeof symbol === "string" ? prices.get(symbol) : undefined;
      if (milli === undefined) return invalid(response);
      answer.push({ symbol, price: format(milli) });
    }
    return json(response, 200, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    prices,
    requests: () => requests,
    symbolsAsked: () => symbolsAsked,
    log,
    close() {
      clearInterval(walk);
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
