import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface PriceServer {
  /** `http://127.0.0.1:PORT`: use it as BINANCE_URL, COINBASE_URL and KRAKEN_URL. */
  readonly url: string;
  /** Canonical symbol (`BTC-USDT`) → the price every exchange answers. */
  readonly prices: Map<string, string>;
  /** Symbols every exchange answers with an error. */
  readonly failing: Set<string>;
  /** Requests served, by exchange. */
  readonly requests: { binance: number; coinbase: number; kraken: number };
  close(): Promise<void>;
}

const canonical = (glued: string, prices: Map<string, string>) =>
  [...prices.keys()].find(
    (symbol) =>
      symbol.replace("-", "") === glued || symbol.replace("-", "").replace(/^BTC/, "XBT") === glued,
  ) ?? glued;

/**
 * Answers like Binance (`/api/v3/ticker/price`), Coinbase (`/products/X/ticker`) and Kraken
 * (`/0/public/Ticker`) on 127.0.0.1, from `prices`; symbols in `failing` get each
 * exchange's error.
 */
export async function startPriceServer(initial: Record<string, string>): Promise<PriceServer> {
  const prices = new Map(Object.entries(initial));
  const failing = new Set<string>();
  const requests = { binance: 0, coinbase: 0, kraken: 0 };
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const healthy = (symbol: string) => prices.has(symbol) && !failing.has(symbol);

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/api/v3/ticker/price") {
      requests.binance++;
      const single = url.searchParams.get("symbol");
      if (single !== null) {
        const symbol = canonical(single, prices);
        if (!healthy(symbol)) return json(response, 500, { code: -1000, msg: "Internal error" });
        return json(response, 200, { symbol: single, price: prices.get(symbol) });
      }
      const many = JSON.parse(url.searchParams.get("symbols") ?? "[]") as string[];
      return json(
        response,
        200,
        many
          .filter((glued) => healthy(canonical(glued, prices)))
          .map((glued) => ({ symbol: glued, price: prices.get(canonical(glued, prices)) })),
      );
    }
    const coinbase = /^\/products\/([^/]+)\/ticker$/.exec(url.pathname);
    if (coinbase) {
      requests.coinbase++;
      const symbol = coinbase[1]!;
      if (!healthy(symbol)) return json(response, 500, { message: "Internal server error" });
      const price = prices.get(symbol);
      return json(response, 200, {
        ask: price,
        bid: price,
        volume: "1",
        trade_id: 1,
        price,
        size: "0.01",
        time: new Date().toISOString(),
      });
    }
    if (url.pathname === "/0/public/Ticker") {
      requests.kraken++;
      const pairs = (url.searchParams.get("pair") ?? "").split(",");
      const result: Record<string, unknown> = {};
      for (const pair of pairs) {
        const symbol = canonical(pair, prices);
        if (!healthy(symbol)) continue;
        const price = prices.get(symbol);
        result[pair] = { a: [price, "1", "1"], b: [price, "1", "1"], c: [price, "0.01"] };
      }
      if (Object.keys(result).length === 0) {
        return json(response, 200, { error: ["EService:Unavailable"] });
      }
      return json(response, 200, { error: [], result });
    }
    json(response, 404, { message: "NotFound" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    prices,
    failing,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused at once). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
