import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { PriceEvent } from "./analysis.ts";

/**
 * A local stand-in for Binance's REST ticker (`/api/v3/ticker/price?symbol=X` and
 * `?symbols=["X",...]`, 8-digit prices) for one bot: every answer moves each symbol it names
 * between two prices, so every fetch brings a new price and a whole new ladder. Each answer
 * is timed as it is sent (`performance.now()`), the start of fetch-to-quote.
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
  const answers: PriceEvent[] = [];
  const priceOf = (symbol: string) => {
    const n = flips.get(symbol)!;
    flips.set(symbol, n + 1);
    return options.prices[n % 2]!;
  };
  const json = (response: ServerResponse, status: number, body: unknown, symbols: string[]) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
    if (status === 200) answers.push({ at: performance.now(), symbols });
  };
  const invalid = (response: ServerResponse) =>
    json(response, 400, { code: -1121, msg: "Invalid symbol." }, []);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/api/v3/ticker/price") {
      return json(response, 404, { code: -1, msg: "not found" }, []);
    }
    const single = url.searchParams.get("symbol");
    if (single !== null) {
      if (!flips.has(single)) return invalid(response);
      return json(response, 200, { symbol: single, price: priceOf(single) }, [single]);
    }
    let asked: unknown;
    try {
      asked = JSON.parse(url.searchParams.get("symbols") ?? "");
    } catch {
      asked = undefined;
    }
    if (!Array.isArray(asked) || !asked.every((s) => typeof s === "string" && flips.has(s))) {
      return invalid(response);
    }
    const names = asked as string[];
    return json(
      response,
      200,
      names.map((symbol) => ({ symbol, price: priceOf(symbol) })),
      names,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
