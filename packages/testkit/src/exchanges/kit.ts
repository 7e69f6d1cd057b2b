import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { binanceSymbol, canonicalOf, krakenResultKey, krakenWsSymbol } from "./symbols.ts";

export type ExchangeName = "binance" | "coinbase" | "kraken";
export const EXCHANGE_NAMES: readonly ExchangeName[] = ["binance", "coinbase", "kraken"];

/** The top of book and last trade an exchange answers for a symbol (decimal text). */
export interface KitQuote {
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
}

/** How an exchange's REST ticker misbehaves: an HTTP error, or a cut connection. */
export type RestFault = { readonly status: number; readonly body?: unknown } | "refuse";

export interface ExchangeKitOptions {
  /** Canonical symbol → price (bid = ask = last) or a full quote, on every exchange. */
  readonly prices?: Readonly<Record<string, string | KitQuote>>;
  /**
   * Coinbase and Kraken heartbeats, and Binance's book chatter (the current book sent
   * again), this often per connection. Default 1000; 0 turns them off.
   */
  readonly heartbeatMs?: number;
  /** Coinbase closes a connection that has not subscribed within this. Default 5000. */
  readonly coinbaseSubscribeTimeoutMs?: number;
}

/** The WebSocket side of one exchange. */
export interface StreamControls {
  readonly exchange: ExchangeName;
  /** `ws://127.0.0.1:PORT/...` as the exchange's stream URL. */
  readonly url: string;
  /** Connections open now. */
  connections(): number;
  /** Connections accepted so far. */
  connects(): number;
  /** Every frame clients sent, parsed JSON (or the raw text when not JSON). */
  readonly frames: unknown[];
  /** Canonical symbols subscribed on some open connection. */
  subscribed(): string[];
  /** Sends every subscriber of `symbol` an update with its current quote. */
  push(symbol: string): void;
  /**
   * Pushes `perSecond` updates of `symbol`; `next(n)` gives the n-th price (default: the
   * current one). Returns the stop.
   */
  pushRate(symbol: string, perSecond: number, next?: (n: number) => string | KitQuote): () => void;
  /** Cuts every connection without a close handshake. */
  drop(): void;
  /** Sends nothing at all (data, heartbeats, answers) while on; sockets stay open. */
  silent(on: boolean): void;
  /** Refuses new connections (HTTP 503 on the upgrade) while on. */
  refuse(on: boolean): void;
  /** A ping: a WebSocket ping frame (Binance, Coinbase) or `{"method":"ping"}` (Kraken). */
  ping(): void;
  /** Pongs received (frames, or Kraken's `{"method":"pong"}`). */
  pongs(): number;
  /** The next subscribe request is refused with the exchange's error message. */
  failSubscribe(reason?: string): void;
  /** Sends `text` as is to every connection (garbage, foreign frames). */
  send(text: string): void;
  /** Binance: a `serverShutdown` event; the others: close 1001 (going away). */
  shutdown(): void;
  /** Coinbase: the next ticker's sequence skips `count` numbers (default 1). */
  skipSequence(count?: number): void;
}

export interface ExchangeKit {
  /** `http://127.0.0.1:PORT`: the REST base URL of all three (their paths differ). */
  readonly url: string;
  readonly binance: StreamControls;
  readonly coinbase: StreamControls;
  readonly kraken: StreamControls;
  stream(exchange: ExchangeName): StreamControls;
  /** Sets a symbol's quote (on the named exchanges, default all) and pushes it to subscribers. */
  setPrice(symbol: string, price: string | KitQuote, exchanges?: readonly ExchangeName[]): void;
  quote(exchange: ExchangeName, symbol: string): KitQuote | undefined;
  /** Symbols every exchange's REST answers with an error (500, or left out of a batch). */
  readonly failing: Set<string>;
  /** A standing fault of one exchange's REST ticker; undefined heals it. */
  restFault(exchange: ExchangeName, fault: RestFault | undefined): void;
  /** REST requests served, by exchange. */
  readonly requests: Record<ExchangeName, number>;
  close(): Promise<void>;
}

const PATHS: Record<ExchangeName, string> = { binance: "/stream", coinbase: "/", kraken: "/v2" };

interface KitStream extends StreamControls {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  stop(): void;
  notify(symbol: string): void;
}

interface Client {
  readonly socket: WebSocket;
  readonly symbols: Set<string>;
}

/** Starts the kit on 127.0.0.1 with an ephemeral port. */
export async function startExchangeKit(options: ExchangeKitOptions = {}): Promise<ExchangeKit> {
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const books: Record<ExchangeName, Map<string, KitQuote>> = {
    binance: new Map(),
    coinbase: new Map(),
    kraken: new Map(),
  };
  const asQuote = (price: string | KitQuote): KitQuote =>
    typeof price === "string" ? { bid: price, ask: price, last: price } : price;
  for (const [symbol, price] of Object.entries(options.prices ?? {})) {
    for (const exchange of EXCHANGE_NAMES) books[exchange].set(symbol, asQuote(price));
  }
  const failing = new Set<string>();
  const faults = new Map<ExchangeName, RestFault>();
  const requests: Record<ExchangeName, number> = { binance: 0, coinbase: 0, kraken: 0 };

  // ------------------------------------------------------------ REST
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  function restFaulted(exchange: ExchangeName, response: ServerResponse): boolean {
    const fault = faults.get(exchange);
    if (!fault) return false;
    if (fault === "refuse") response.socket?.destroy();
    else json(response, fault.status, fault.body ?? { message: "fault" });
    return true;
  }
  const healthy = (exchange: ExchangeName, symbol: string | undefined): symbol is string =>
    symbol !== undefined && books[exchange].has(symbol) && !failing.has(symbol);

  function rest(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    if (path === "/api/v3/ticker/price" || path === "/api/v3/ticker/bookTicker") {
      requests.binance++;
      if (restFaulted("binance", response)) return;
      const book = books.binance;
      const entry = (glued: string, symbol: string) => {
        const quote = book.get(symbol)!;
        return path.endsWith("/price")
          ? { symbol: glued, price: quote.last }
          : {
              symbol: glued,
              bidPrice: quote.bid,
              bidQty: "1.00000000",
              askPrice: quote.ask,
              askQty: "1.00000000",
            };
      };
      const single = url.searchParams.get("symbol");
      if (single !== null) {
        const symbol = canonicalOf(book.keys(), single, "binance");
        if (symbol === undefined)
          return json(response, 400, { code: -1121, msg: "Invalid symbol." });
        if (!healthy("binance", symbol))
          return json(response, 500, { code: -1000, msg: "Internal error" });
        return json(response, 200, entry(single, symbol));
      }
      let many: string[];
      try {
        many = JSON.parse(url.searchParams.get("symbols") ?? "[]") as string[];
      } catch {
        return json(response, 400, {
          code: -1100,
          msg: "Illegal characters found in parameter 'symbols'",
        });
      }
      const known = many.map(
        (glued) => [glued, canonicalOf(book.keys(), glued, "binance")] as const,
      );
      if (known.some(([, symbol]) => symbol === undefined)) {
        return json(response, 400, { code: -1121, msg: "Invalid symbol." });
      }
      return json(
        response,
        200,
        known
          .filter(([, symbol]) => healthy("binance", symbol))
          .map(([glued, symbol]) => entry(glued, symbol!)),
      );
    }
    const coinbase = /^\/products\/([^/]+)\/ticker$/.exec(path);
    if (coinbase) {
      requests.coinbase++;
      if (restFaulted("coinbase", response)) return;
      const symbol = canonicalOf(
        books.coinbase.keys(),
        decodeURIComponent(coinbase[1]!),
        "coinbase",
      );
      if (symbol === undefined) return json(response, 404, { message: "NotFound" });
      if (!healthy("coinbase", symbol))
        return json(response, 500, { message: "Internal server error" });
      const quote = books.coinbase.get(symbol)!;
      return json(response, 200, {
        ask: quote.ask,
        bid: quote.bid,
        volume: "1234.5",
        trade_id: 1,
        price: quote.last,
        size: "0.01",
        time: new Date().toISOString(),
        rfq_volume: "0",
      });
    }
    if (path === "/0/public/Ticker") {
      requests.kraken++;
      if (restFaulted("kraken", response)) return;
      const pairs = (url.searchParams.get("pair") ?? "").split(",").filter(Boolean);
      const result: Record<string, unknown> = {};
      for (const pair of pairs) {
        const symbol = canonicalOf(books.kraken.keys(), pair, "kraken-rest");
        if (symbol === undefined)
          return json(response, 200, { error: ["EQuery:Unknown asset pair"] });
        if (!healthy("kraken", symbol)) continue;
        const quote = books.kraken.get(symbol)!;
        result[pairs.length === 1 ? krakenResultKey(symbol) : pair] = {
          a: [quote.ask, "1", "1.000"],
          b: [quote.bid, "1", "1.000"],
          c: [quote.last, "0.01000000"],
          v: ["1", "1"],
          p: [quote.last, quote.last],
          t: [1, 1],
          l: [quote.last, quote.last],
          h: [quote.last, quote.last],
          o: quote.last,
        };
      }
      if (Object.keys(result).length === 0)
        return json(response, 200, { error: ["EService:Unavailable"] });
      return json(response, 200, { error: [], result });
    }
    json(response, 404, { message: "NotFound" });
  }

  // ------------------------------------------------------------ WebSocket
  const server = createServer(rest);
  const sockets = new Set<Duplex>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `127.0.0.1:${port}`;

  const controls = {} as Record<
    ExchangeName,
    StreamControls & {
      upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
      stop(): void;
      notify(symbol: string): void;
    }
  >;
  for (const exchange of EXCHANGE_NAMES) controls[exchange] = createExchangeStream(exchange);

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const exchange = EXCHANGE_NAMES.find((name) => PATHS[name] === path);
    if (!exchange) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    controls[exchange].upgrade(request, socket, head);
  });

  function createExchangeStream(exchange: ExchangeName): KitStream {
    const wss = new WebSocketServer({ noServer: true });
    const clients = new Set<Client>();
    const frames: unknown[] = [];
    const book = books[exchange];
    let connects = 0;
    let pongs = 0;
    let quiet = false;
    let refusing = false;
    let failNext: string | undefined;
    let updateId = 1000;
    let tradeId = 1;
    let skip = 0;
    const sequences = new Map<string, number>();
    const timers = new Set<ReturnType<typeof setInterval>>();

    const send = (client: Client, text: string) => {
      if (!quiet && client.socket.readyState === client.socket.OPEN) client.socket.send(text);
    };
    const nextSequence = (symbol: string) => {
      const next = (sequences.get(symbol) ?? 100) + 1 + skip;
      skip = 0;
      sequences.set(symbol, next);
      return next;
    };

    function frame(symbol: string, kind: "update" | "snapshot" | "trade" = "update"): string {
      const quote = book.get(symbol)!;
      if (exchange === "binance") {
        const glued = binanceSymbol(symbol);
        if (kind === "trade") {
          return JSON.stringify({
            stream: `${glued.toLowerCase()}@trade`,
            data: {
              e: "trade",
              E: Date.now(),
              s: glued,
              t: tradeId++,
              p: quote.last,
              q: "0.01",
              T: Date.now(),
              m: false,
              M: true,
            },
          });
        }
        return JSON.stringify({
          stream: `${glued.toLowerCase()}@bookTicker`,
          data: {
            u: updateId++,
            s: glued,
            b: quote.bid,
            B: "1.00000000",
            a: quote.ask,
            A: "1.00000000",
          },
        });
      }
      if (exchange === "coinbase") {
        return JSON.stringify({
          type: "ticker",
          sequence: nextSequence(symbol),
          product_id: symbol,
          price: quote.last,
          open_24h: quote.last,
          volume_24h: "1.0",
          low_24h: quote.last,
          high_24h: quote.last,
          volume_30d: "1.0",
          best_bid: quote.bid,
          best_bid_size: "1.0",
          best_ask: quote.ask,
          best_ask_size: "1.0",
          side: "buy",
          time: new Date().toISOString(),
          trade_id: tradeId++,
          last_size: "0.01",
        });
      }
      // Kraken v2: prices are JSON numbers, written as the literal text they were set to.
      const entry = `{"symbol":${JSON.stringify(krakenWsSymbol(symbol))},"bid":${quote.bid},"bid_qty":1.0,"ask":${quote.ask},"ask_qty":1.0,"last":${quote.last},"volume":1.0,"vwap":${quote.last},"low":${quote.last},"high":${quote.last},"change":0.0,"change_pct":0.0}`;
      return `{"channel":"ticker","type":"${kind === "snapshot" ? "snapshot" : "update"}","data":[${entry}]}`;
    }

    function push(symbol: string): void {
      if (!book.has(symbol)) return;
      for (const client of clients) {
        if (!client.symbols.has(symbol)) continue;
        send(client, frame(symbol));
        if (exchange === "binance" && client.symbols.has(`${symbol}@trade`))
          send(client, frame(symbol, "trade"));
      }
    }

    function onMessage(client: Client, text: string): void {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
        frames.push(message);
      } catch {
        frames.push(text);
        return;
      }
      if (exchange === "binance") {
        if (message.method !== "SUBSCRIBE" && message.method !== "UNSUBSCRIBE") return;
        const id = message.id;
        if (failNext !== undefined) {
          send(client, JSON.stringify({ error: { code: 2, msg: failNext }, id }));
          failNext = undefined;
          return;
        }
        const params = Array.isArray(message.params) ? (message.params as string[]) : [];
        const added: string[] = [];
        for (const param of params) {
          const [glued = "", channel] = param.split("@");
          const symbol = canonicalOf(book.keys(), glued, "binance");
          if (symbol === undefined) continue; // Binance takes any stream name and sends nothing
          if (channel === "bookTicker") {
            client.symbols.add(symbol);
            added.push(symbol);
          } else if (channel === "trade") client.symbols.add(`${symbol}@trade`);
        }
        send(client, JSON.stringify({ result: null, id }));
        for (const symbol of added) send(client, frame(symbol));
        return;
      }
      if (exchange === "coinbase") {
        if (message.type !== "subscribe") return;
        const ids = Array.isArray(message.product_ids) ? (message.product_ids as string[]) : [];
        const unknown = ids.find((id) => canonicalOf(book.keys(), id, "coinbase") === undefined);
        if (failNext !== undefined || unknown !== undefined) {
          send(
            client,
            JSON.stringify({
              type: "error",
              message: "Failed to subscribe",
              reason: failNext ?? `${unknown} is not a valid product`,
            }),
          );
          failNext = undefined;
          return;
        }
        for (const id of ids) client.symbols.add(id);
        const all = [...client.symbols];
        send(
          client,
          JSON.stringify({
            type: "subscriptions",
            channels: [
              { name: "ticker", product_ids: all },
              { name: "heartbeat", product_ids: all },
            ],
          }),
        );
        for (const id of ids) send(client, frame(id));
        return;
      }
      // Kraken v2
      const reqId = message.req_id;
      if (message.method === "ping") {
        const now = new Date().toISOString();
        send(
          client,
          JSON.stringify({ method: "pong", req_id: reqId, time_in: now, time_out: now }),
        );
        return;
      }
      if (message.method === "pong") {
        pongs += 1;
        return;
      }
      if (message.method !== "subscribe") return;
      const params = (message.params ?? {}) as {
        channel?: string;
        symbol?: string[];
        snapshot?: boolean;
      };
      const now = new Date().toISOString();
      for (const spelled of params.symbol ?? []) {
        const symbol = canonicalOf(book.keys(), spelled, "kraken-ws");
        if (failNext !== undefined || symbol === undefined || params.channel !== "ticker") {
          send(
            client,
            JSON.stringify({
              method: "subscribe",
              error: failNext ?? `Currency pair not supported ${spelled}`,
              success: false,
              symbol: spelled,
              req_id: reqId,
              time_in: now,
              time_out: now,
            }),
          );
          continue;
        }
        client.symbols.add(symbol);
        send(
          client,
          JSON.stringify({
            method: "subscribe",
            result: {
              channel: "ticker",
              event_trigger: "bbo",
              snapshot: params.snapshot !== false,
              symbol: spelled,
            },
            success: true,
            req_id: reqId,
            time_in: now,
            time_out: now,
          }),
        );
        if (params.snapshot !== false) send(client, frame(symbol, "snapshot"));
      }
      failNext = undefined;
    }

    function heartbeat(): void {
      for (const client of clients) {
        if (exchange === "kraken") send(client, '{"channel":"heartbeat"}');
        for (const symbol of client.symbols) {
          if (symbol.includes("@")) continue;
          if (exchange === "binance") send(client, frame(symbol));
          if (exchange === "coinbase") {
            send(
              client,
              JSON.stringify({
                type: "heartbeat",
                sequence: sequences.get(symbol) ?? 100,
                last_trade_id: tradeId,
                product_id: symbol,
                time: new Date().toISOString(),
              }),
            );
          }
        }
      }
    }
    if (heartbeatMs > 0) {
      const timer = setInterval(heartbeat, heartbeatMs);
      timer.unref();
      timers.add(timer);
    }

    const url = `ws://${base}${PATHS[exchange]}`;
    return {
      exchange,
      url,
      frames,
      upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
        if (refusing) {
          socket.end("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
          connects += 1;
          const client: Client = { socket: ws, symbols: new Set() };
          clients.add(client);
          ws.on("message", (data) => onMessage(client, data.toString()));
          ws.on("pong", () => {
            pongs += 1;
          });
          ws.on("close", () => clients.delete(client));
          ws.on("error", () => clients.delete(client));
          if (exchange === "coinbase") {
            const timeout = setTimeout(() => {
              if (client.symbols.size === 0) ws.close(1008, "subscribe within 5 s");
            }, options.coinbaseSubscribeTimeoutMs ?? 5000);
            timeout.unref();
            ws.on("close", () => clearTimeout(timeout));
          }
          if (exchange === "kraken") {
            send(
              client,
              JSON.stringify({
                channel: "status",
                type: "update",
                data: [
                  {
                    version: "2.0.0",
                    system: "online",
                    api_version: "v2",
                    connection_id: connects,
                  },
                ],
              }),
            );
          }
        });
      },
      connections: () => clients.size,
      connects: () => connects,
      subscribed: () => [
        ...new Set([...clients].flatMap((c) => [...c.symbols].filter((s) => !s.includes("@")))),
      ],
      push,
      notify: push,
      pushRate(symbol, perSecond, next) {
        let n = 0;
        const timer = setInterval(
          () => {
            n += 1;
            if (next) book.set(symbol, asQuote(next(n)));
            push(symbol);
          },
          Math.max(1, Math.round(1000 / perSecond)),
        );
        timers.add(timer);
        return () => {
          clearInterval(timer);
          timers.delete(timer);
        };
      },
      drop() {
        for (const client of clients) client.socket.terminate();
      },
      silent(on) {
        quiet = on;
      },
      refuse(on) {
        refusing = on;
      },
      ping() {
        for (const client of clients) {
          if (exchange === "kraken") client.socket.send(JSON.stringify({ method: "ping" }));
          else client.socket.ping();
        }
      },
      pongs: () => pongs,
      failSubscribe(reason = exchange === "binance" ? "Invalid request" : "subscription refused") {
        failNext = reason;
      },
      send(text) {
        for (const client of clients) client.socket.send(text);
      },
      shutdown() {
        for (const client of clients) {
          if (exchange === "binance") {
            client.socket.send(JSON.stringify({ e: "serverShutdown", E: Date.now() }));
          } else client.socket.close(1001, "going away");
        }
      },
      skipSequence(count = 1) {
        skip += count;
      },
      stop() {
        for (const timer of timers) clearInterval(timer);
        for (const client of clients) client.socket.terminate();
        wss.close();
      },
    };
  }

  return {
    url: `http://${base}`,
    binance: controls.binance,
    coinbase: controls.coinbase,
    kraken: controls.kraken,
    stream: (exchange) => controls[exchange],
    setPrice(symbol, price, exchanges = EXCHANGE_NAMES) {
      for (const exchange of exchanges) {
        books[exchange].set(symbol, asQuote(price));
        controls[exchange].notify(symbol);
      }
    },
    quote: (exchange, symbol) => books[exchange].get(symbol),
    failing,
    restFault(exchange, fault) {
      if (fault === undefined) faults.delete(exchange);
      else faults.set(exchange, fault);
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const exchange of EXCHANGE_NAMES) controls[exchange].stop();
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
