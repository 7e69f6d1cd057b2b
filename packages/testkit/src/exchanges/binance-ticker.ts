import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export interface BinanceTickerOptions {
  /** Binance symbols served (`BTCUSDT`); any other is answered `-1121 Invalid symbol.`. */
  readonly symbols: readonly string[];
  /** The price text to answer for `symbol` now: asked once per symbol per answer. */
  readonly price: (symbol: string) => string;
}

export interface BinanceTicker {
  /** `http://127.0.0.1:PORT`, for BINANCE_URL (or the Go bot's PRICE_SOURCE_URL). */
  readonly url: string;
  /** HTTP requests received, all paths. */
  requests(): number;
  /** Symbols asked, summed over requests (a batch of 64 counts 64). */
  symbolsAsked(): number;
  /** Every price request as it came: when (epoch ms) and how many symbols it asked. */
  readonly log: readonly { readonly at: number; readonly symbols: number }[];
  /**
   * Every price answer as it was sent (`performance.now()`, the start of fetch-to-quote)
   * and the symbols it priced.
   */
  readonly answers: readonly { readonly at: number; readonly symbols: readonly string[] }[];
  close(): Promise<void>;
}

/**
 * A local stand-in for Binance's REST price endpoint alone, as the bench needs it with
 * thousands of requests: `/api/v3/ticker/price?symbol=X` and `?symbols=["X","Y"]` answered
 * as Binance does (`-1121 Invalid symbol.` for an unknown one, `-1100` for a list that is
 * not JSON), at the prices `price` gives, counting and timing what it is asked. (The
 * exchange kit serves all three exchanges, REST and streams, from prices a test sets.)
 */
export async function startBinanceTicker(options: BinanceTickerOptions): Promise<BinanceTicker> {
  const served = new Set(options.symbols);
  let requests = 0;
  let symbolsAsked = 0;
  const log: { at: number; symbols: number }[] = [];
  const answers: { at: number; symbols: string[] }[] = [];
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const invalid = (response: ServerResponse) =>
    json(response, 400, { code: -1121, msg: "Invalid symbol." });
  const priced = (response: ServerResponse, body: unknown, symbols: string[]) => {
    json(response, 200, body);
    answers.push({ at: performance.now(), symbols });
  };

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
      if (!served.has(single)) return invalid(response);
      return priced(response, { symbol: single, price: options.price(single) }, [single]);
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
    if (!asked.every((symbol) => typeof symbol === "string" && served.has(symbol))) {
      return invalid(response);
    }
    const names = asked as string[];
    return priced(
      response,
      names.map((symbol) => ({ symbol, price: options.price(symbol) })),
      names,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    symbolsAsked: () => symbolsAsked,
    log,
    answers,
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
