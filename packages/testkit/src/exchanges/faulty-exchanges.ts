import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EXCHANGE_NAMES, type ExchangeName } from "./kit.ts";

/** Payloads that must never become a price (the shared price-sources doc's list). */
export type Garbage =
  | "html"
  | "truncated"
  | "wrong-shape"
  | "missing-field"
  | "zero"
  | "negative"
  | "non-numeric"
  | "numeric"
  | "exponent"
  | "wrong-symbol"
  | "stale";

/** What each exchange's answer can carry: Coinbase's ticker names no product but has a time. */
export const GARBAGE: Readonly<Record<ExchangeName, readonly Garbage[]>> = {
  binance: [
    "html",
    "truncated",
    "wrong-shape",
    "missing-field",
    "zero",
    "negative",
    "non-numeric",
    "numeric",
    "exponent",
    "wrong-symbol",
  ],
  coinbase: [
    "html",
    "truncated",
    "wrong-shape",
    "missing-field",
    "zero",
    "negative",
    "non-numeric",
    "numeric",
    "exponent",
    "stale",
  ],
  kraken: [
    "html",
    "truncated",
    "wrong-shape",
    "missing-field",
    "zero",
    "negative",
    "non-numeric",
    "numeric",
    "exponent",
    "wrong-symbol",
  ],
};

export type Fault =
  /** The exchange's own 5xx error. */
  | { readonly kind: "error" }
  /** The connection is cut without an answer. */
  | { readonly kind: "refuse" }
  /** 429 with `Retry-After`; requests inside the window are counted as violations. */
  | { readonly kind: "rate-limit"; readonly retryAfterSeconds: number }
  /** HTTP 200 with a payload that is not a usable price. */
  | { readonly kind: "garbage"; readonly payload: Garbage };

export interface ExchangeRequest {
  readonly exchange: ExchangeName;
  /** ms since the epoch, when the server saw the request. */
  readonly at: number;
  readonly status: number;
  /** The fault that answered it, if any (`garbage:html`, `rate-limit`, ...). */
  readonly fault?: string;
  /** Inside an open Retry-After window: the client should not have asked. */
  readonly insideRetryAfter: boolean;
}

export interface RateWindow {
  readonly exchange: ExchangeName;
  readonly from: number;
  readonly until: number;
}

export interface FaultyExchanges {
  /** `http://127.0.0.1:PORT`: BINANCE_URL, COINBASE_URL and KRAKEN_URL (routes differ). */
  readonly url: string;
  /** The price an exchange answers for a canonical symbol (all exchanges when none named). */
  setPrice(symbol: string, price: string, exchanges?: readonly ExchangeName[]): void;
  /** A fault of one exchange for every symbol; undefined heals it. */
  setFault(exchange: ExchangeName, fault: Fault | undefined): void;
  /**
   * Answers for the exchange's next requests, one each (undefined: a healthy answer); the
   * standing fault (`setFault`) applies again once they are used up.
   */
  queue(exchange: ExchangeName, answers: ReadonlyArray<Fault | undefined>): void;
  /** Queued answers not yet used. */
  queued(exchange: ExchangeName): number;
  readonly requests: readonly ExchangeRequest[];
  /** Every Retry-After window handed out so far. */
  readonly windows: readonly RateWindow[];
  /** Every price answered as a well-formed, valid tick, per symbol. */
  servedPrices(symbol: string): Set<string>;
  close(): Promise<void>;
}

/**
 * Poison numbers, each within 2 % of the 50 000 the scenarios quote around, so the jump
 * guard cannot be what stops them: if any ever shaped an order, the price check sees it.
 */
export const POISON: Record<Garbage, string> = {
  html: "50101.1",
  truncated: "50202.2",
  "wrong-shape": "50303.3",
  "missing-field": "50404.4",
  zero: "0",
  negative: "-50505.5",
  "non-numeric": "NaN",
  numeric: "50606.6",
  exponent: "5.07077e4",
  "wrong-symbol": "50808.8",
  stale: "50909.9",
};

const GLUED: Record<string, { binance: string; kraken: string; krakenKey: string }> = {
  "BTC-USDT": { binance: "BTCUSDT", kraken: "XBTUSDT", krakenKey: "XBTUSDT" },
  "ETH-USDT": { binance: "ETHUSDT", kraken: "ETHUSDT", krakenKey: "ETHUSDT" },
};
const OTHER_SYMBOL: Record<ExchangeName, string> = {
  binance: "DOGEUSDT",
  coinbase: "DOGE-USDT",
  kraken: "XDGUSDT",
};

/**
 * Binance-, Coinbase- and Kraken-like ticker endpoints on 127.0.0.1 (one server, the routes
 * tell the exchanges apart), each with its own prices and a switchable fault. Every request
 * is recorded with the time the server saw it. The runner's fault scenarios use it; unlike
 * the exchange kit it serves REST only, and its faults are per answer (queued) and include
 * rate-limit windows and every kind of garbage payload.
 */
export async function startFaultyExchanges(
  initial: Record<string, string>,
): Promise<FaultyExchanges> {
  const prices: Record<ExchangeName, Map<string, string>> = {
    binance: new Map(Object.entries(initial)),
    coinbase: new Map(Object.entries(initial)),
    kraken: new Map(Object.entries(initial)),
  };
  const faults = new Map<ExchangeName, Fault>();
  const queues = new Map<ExchangeName, Array<Fault | undefined>>();
  const requests: ExchangeRequest[] = [];
  const windows: RateWindow[] = [];
  const served = new Map<string, Set<string>>();

  const canonical = (exchange: "binance" | "kraken", glued: string) =>
    Object.keys(GLUED).find((symbol) => GLUED[symbol]![exchange] === glued) ?? glued;

  function serve(exchange: ExchangeName, response: ServerResponse, symbols: string[]) {
    const at = Date.now();
    const open = windows.find((w) => w.exchange === exchange && at >= w.from && at < w.until);
    const queue = queues.get(exchange);
    const fault = queue && queue.length > 0 ? queue.shift() : faults.get(exchange);
    const record = (status: number, label?: string) =>
      requests.push({
        exchange,
        at,
        status,
        insideRetryAfter: open !== undefined,
        ...(label ? { fault: label } : {}),
      });

    if (open) {
      // A real exchange would ban an IP that keeps asking (Binance answers 418).
      record(429, "rate-limit (inside the window)");
      return reply(response, 429, errorBody(exchange, "Too many requests"), {
        "retry-after": String(Math.ceil((open.until - at) / 1000)),
      });
    }
    if (fault?.kind === "rate-limit") {
      if (faults.get(exchange) === fault) faults.delete(exchange); // one 429, then the window
      windows.push({ exchange, from: at, until: at + fault.retryAfterSeconds * 1000 });
      record(429, "rate-limit");
      return reply(response, 429, errorBody(exchange, "Too many requests"), {
        "retry-after": String(fault.retryAfterSeconds),
      });
    }
    if (fault?.kind === "refuse") {
      record(0, "refuse");
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === "error") {
      record(500, "error");
      return reply(response, 500, errorBody(exchange, "Internal error"));
    }
    if (fault?.kind === "garbage") {
      record(200, `garbage:${fault.payload}`);
      return garbage(exchange, fault.payload, response, symbols);
    }
    record(200);
    for (const symbol of symbols) {
      const price = prices[exchange].get(symbol);
      if (price === undefined) continue;
      const set = served.get(symbol) ?? new Set<string>();
      set.add(price);
      served.set(symbol, set);
    }
    healthy(exchange, response, symbols);
  }

  function healthy(exchange: ExchangeName, response: ServerResponse, symbols: string[]) {
    const book = prices[exchange];
    if (exchange === "binance") {
      const entries = symbols
        .filter((symbol) => book.has(symbol))
        .map((symbol) => ({ symbol: GLUED[symbol]?.binance ?? symbol, price: book.get(symbol) }));
      return reply(response, 200, symbols.length === 1 && entries[0] ? entries[0] : entries);
    }
    if (exchange === "coinbase") {
      const price = book.get(symbols[0]!);
      if (price === undefined) return reply(response, 404, { message: "NotFound" });
      return reply(response, 200, coinbaseTicker(price));
    }
    const result: Record<string, unknown> = {};
    for (const symbol of symbols) {
      const price = book.get(symbol);
      if (price !== undefined) result[GLUED[symbol]?.krakenKey ?? symbol] = krakenTicker(price);
    }
    return reply(response, 200, { error: [], result });
  }

  function garbage(
    exchange: ExchangeName,
    payload: Garbage,
    response: ServerResponse,
    symbols: string[],
  ) {
    const poison = POISON[payload];
    if (payload === "html") {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(`<html><body><h1>502 Bad Gateway</h1><p>${poison}</p></body></html>`);
      return;
    }
    if (payload === "truncated") {
      const whole = JSON.stringify(
        exchange === "coinbase"
          ? coinbaseTicker(poison)
          : exchange === "kraken"
            ? { error: [], result: { [krakenKey(symbols[0]!)]: krakenTicker(poison) } }
            : binanceBody(symbols, poison),
      );
      response.writeHead(200, { "content-type": "application/json" });
      response.end(whole.slice(0, Math.floor(whole.length * 0.6)));
      return;
    }
    if (payload === "missing-field") {
      if (exchange === "binance")
        return reply(response, 200, { symbol: GLUED[symbols[0]!]?.binance });
      if (exchange === "coinbase") {
        const { price: _dropped, ...rest } = coinbaseTicker(poison);
        return reply(response, 200, rest);
      }
      const { c: _dropped, ...rest } = krakenTicker(poison);
      return reply(response, 200, { error: [], result: { [krakenKey(symbols[0]!)]: rest } });
    }
    if (payload === "stale") {
      const old = new Date(Date.now() - 5 * 60_000).toISOString();
      return reply(response, 200, { ...coinbaseTicker(poison), time: old });
    }
    if (payload === "wrong-shape") {
      return reply(response, 200, { data: { symbol: symbols[0], price: poison, last: poison } });
    }
    if (payload === "wrong-symbol") {
      const other = OTHER_SYMBOL[exchange];
      if (exchange === "binance") return reply(response, 200, { symbol: other, price: poison });
      if (exchange === "kraken") {
        return reply(response, 200, { error: [], result: { [other]: krakenTicker(poison) } });
      }
      // Coinbase's ticker does not name its product: the closest is another product's body.
      return reply(response, 200, { ...coinbaseTicker(poison), product_id: other });
    }
    // zero, negative, non-numeric, numeric, exponent: the right shape with a bad price.
    const price: string | number = payload === "numeric" ? Number(poison) : poison;
    if (exchange === "binance") return reply(response, 200, binanceBody(symbols, price));
    if (exchange === "coinbase") return reply(response, 200, coinbaseTicker(price));
    return reply(response, 200, {
      error: [],
      result: Object.fromEntries(symbols.map((s) => [krakenKey(s), krakenTicker(price)])),
    });
  }

  const binanceBody = (symbols: string[], price: string | number) =>
    symbols.length === 1
      ? { symbol: GLUED[symbols[0]!]?.binance ?? symbols[0], price }
      : symbols.map((symbol) => ({ symbol: GLUED[symbol]?.binance ?? symbol, price }));
  const krakenKey = (symbol: string) => GLUED[symbol]?.krakenKey ?? symbol;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/api/v3/ticker/price") {
      const single = url.searchParams.get("symbol");
      const glued =
        single !== null
          ? [single]
          : (JSON.parse(url.searchParams.get("symbols") ?? "[]") as string[]);
      return serve(
        "binance",
        response,
        glued.map((g) => canonical("binance", g)),
      );
    }
    const product = /^\/products\/([^/]+)\/ticker$/.exec(url.pathname);
    if (product) return serve("coinbase", response, [product[1]!]);
    if (url.pathname === "/0/public/Ticker") {
      const pairs = (url.searchParams.get("pair") ?? "").split(",").filter(Boolean);
      return serve(
        "kraken",
        response,
        pairs.map((pair) => canonical("kraken", pair)),
      );
    }
    reply(response, 404, { message: "NotFound" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setPrice(symbol, price, exchanges = EXCHANGE_NAMES) {
      for (const exchange of exchanges) prices[exchange].set(symbol, price);
    },
    setFault(exchange, fault) {
      if (fault) faults.set(exchange, fault);
      else faults.delete(exchange);
    },
    queue(exchange, answers) {
      queues.set(exchange, [...(queues.get(exchange) ?? []), ...answers]);
    },
    queued: (exchange) => queues.get(exchange)?.length ?? 0,
    requests,
    windows,
    servedPrices: (symbol) => new Set(served.get(symbol) ?? []),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function errorBody(exchange: ExchangeName, message: string): unknown {
  if (exchange === "binance") return { code: -1003, msg: message };
  if (exchange === "coinbase") return { message };
  return { error: [`EService:${message}`] };
}

function coinbaseTicker(price: string | number) {
  return {
    ask: price,
    bid: price,
    volume: "1",
    trade_id: 1,
    price,
    size: "0.01",
    time: new Date().toISOString(),
  };
}

function krakenTicker(price: string | number) {
  return { a: [price, "1", "1.000"], b: [price, "1", "1.000"], c: [price, "0.01"] };
}
