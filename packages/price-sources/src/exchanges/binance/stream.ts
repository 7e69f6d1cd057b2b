import { createStream, type StreamOptions, type StreamProtocol } from "../../streams/connection.ts";
import { StreamError } from "../../streams/errors.ts";
import { framePrice, parseFrame } from "../../streams/frame.ts";
import { isJsonObject } from "../../streams/json-object.ts";
import type { PriceStream } from "../../streams/types.ts";
import { toBinanceStreamSymbol } from "./symbols.ts";

export interface BinanceStreamOptions extends StreamOptions {
  /** Also subscribe `<symbol>@trade` so quotes carry the last trade (for `priceType: "last"`). */
  readonly trades?: boolean;
}

export const BINANCE_WS_URL = "wss://stream.binance.com/stream";

/**
 * Binance spot `<symbol>@bookTicker` (and `@trade` with `trades`) over ONE combined
 * connection (`/stream`, frames wrapped `{stream, data}`), subscribed live with
 * `SUBSCRIBE` and ids. Ping frames are answered by the WebSocket itself. A
 * `serverShutdown` event makes it reconnect at once. `u` only moves forward: an older
 * update than the last one is dropped (bookTicker ids are not contiguous, so no gap check).
 */
export function binanceStream(options: BinanceStreamOptions = {}): PriceStream {
  const name = options.name ?? "binance";
  const pending = new Map<number, string[]>();
  const lastUpdate = new Map<string, bigint>();
  const bookOf = new Map<string, { bid: string; ask: string; exchangeTime?: number }>();
  const lastTrade = new Map<string, string>();

  const protocol: StreamProtocol = {
    exchange: "binance",
    defaultUrl: BINANCE_WS_URL,
    toExchange: toBinanceStreamSymbol,
    subscribe(exchangeSymbols, nextId) {
      const id = nextId();
      pending.set(id, [...exchangeSymbols]);
      const params = exchangeSymbols.flatMap((s) =>
        options.trades ? [`${s}@bookTicker`, `${s}@trade`] : [`${s}@bookTicker`],
      );
      return [JSON.stringify({ method: "SUBSCRIBE", params, id })];
    },
    reset() {
      pending.clear();
      lastUpdate.clear();
      bookOf.clear();
      lastTrade.clear();
    },
    handle(text, io) {
      const malformed = (what: string) =>
        new StreamError(`${name}: ${what}`, { kind: "malformed", exchange: name, frame: text });
      const message = parseFrame({ exchange: name, frame: text });
      if (!isJsonObject(message)) throw malformed("not a JSON object");
      if ("id" in message && ("result" in message || "error" in message)) {
        const id = message.id;
        const symbols = typeof id === "number" ? pending.get(id) : undefined;
        if (typeof id === "number") pending.delete(id);
        if ("error" in message && message.error !== null && message.error !== undefined) {
          const error = isJsonObject(message.error) ? message.error : {};
          io.reject(
            new StreamError(
              `${name}: subscribe ${String(id)} refused: ${String(error.code ?? "")} ${String(error.msg ?? JSON.stringify(message.error))}`.trim(),
              { kind: "subscribe-failed", exchange: name, frame: text },
            ),
          );
          return;
        }
        if (!symbols) throw malformed(`an answer to id ${String(id)} we never sent`);
        io.subscribed(symbols.map((s) => io.canonical(s) ?? s));
        return;
      }
      const data = isJsonObject(message.data) ? message.data : message;
      if (data.e === "serverShutdown") {
        io.restart(
          new StreamError(`${name}: the server announced a shutdown`, {
            kind: "server-shutdown",
            exchange: name,
            frame: text,
          }),
        );
        return;
      }
      if (!("data" in message) || typeof message.stream !== "string") {
        throw malformed("neither a combined-stream frame nor an answer");
      }
      const [streamSymbol, channel] = message.stream.split("@") as [string, string | undefined];
      const symbol = io.canonical(streamSymbol ?? "");
      if (symbol === undefined || (channel !== "bookTicker" && channel !== "trade")) {
        throw new StreamError(
          `${name}: a frame for ${message.stream}, which we did not subscribe`,
          {
            kind: "foreign",
            exchange: name,
            frame: text,
          },
        );
      }
      if (typeof data.s !== "string" || data.s.toLowerCase() !== streamSymbol) {
        throw new StreamError(
          `${name}: ${message.stream} carries symbol ${JSON.stringify(data.s)}`,
          {
            kind: "foreign",
            exchange: name,
            symbol,
            frame: text,
          },
        );
      }
      const asPrice = (value: unknown, field: string) =>
        framePrice(value, field, { exchange: name, frame: text, symbol });
      if (channel === "trade") {
        const price = asPrice(data.p, "p");
        lastTrade.set(symbol, price);
        const book = bookOf.get(symbol);
        io.quote({
          symbol,
          ...(book ? { bid: book.bid, ask: book.ask } : {}),
          last: price,
          ...(typeof data.T === "number" ? { exchangeTime: data.T } : {}),
        });
        return;
      }
      if (typeof data.u !== "number" && typeof data.u !== "string") {
        throw malformed(`bookTicker without an update id u`);
      }
      const update = BigInt(String(data.u).split(".")[0] ?? "0");
      const bid = asPrice(data.b, "b");
      const ask = asPrice(data.a, "a");
      const previous = lastUpdate.get(symbol);
      if (previous !== undefined && update <= previous) return; // older than what we have
      lastUpdate.set(symbol, update);
      bookOf.set(symbol, { bid, ask });
      const last = lastTrade.get(symbol);
      io.quote({ symbol, bid, ask, ...(last ? { last } : {}) });
    },
  };
  return createStream(protocol, { ...options, name });
}
