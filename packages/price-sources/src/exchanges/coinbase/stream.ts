import { createStream, type StreamOptions, type StreamProtocol } from "../../streams/connection.ts";
import { StreamError } from "../../streams/errors.ts";
import { framePrice, parseFrame } from "../../streams/frame.ts";
import { isJsonObject, type JsonObject } from "../../streams/json-object.ts";
import type { PriceStream } from "../../streams/types.ts";
import { parseRfc3339 } from "../../time.ts";
import { toCoinbaseSymbol } from "./symbols.ts";

export type CoinbaseStreamOptions = StreamOptions;

export const COINBASE_WS_URL = "wss://ws-feed.exchange.coinbase.com";

/**
 * Coinbase Exchange `ticker` + `heartbeat` on one connection. The subscribe is sent as
 * soon as the socket opens (the server closes one that has not subscribed within 5 s).
 * `sequence` is checked per product on the ticker: a skipped number is reported as a
 * gap, an old or repeated one is dropped. Unknown message types are ignored, as
 * Coinbase asks; only heartbeats and tickers keep the connection counted alive.
 */
export function coinbaseStream(options: CoinbaseStreamOptions = {}): PriceStream {
  const name = options.name ?? "coinbase";
  const sequences = new Map<string, bigint>();

  const protocol: StreamProtocol = {
    exchange: "coinbase",
    defaultUrl: COINBASE_WS_URL,
    toExchange: toCoinbaseSymbol,
    subscribe: (productIds) => [
      JSON.stringify({
        type: "subscribe",
        product_ids: [...productIds],
        channels: ["ticker", "heartbeat"],
      }),
    ],
    reset: () => sequences.clear(),
    handle(text, io) {
      const malformed = (what: string, symbol?: string) =>
        new StreamError(`${name}: ${what}`, {
          kind: "malformed",
          exchange: name,
          frame: text,
          ...(symbol ? { symbol } : {}),
        });
      const message = parseFrame({ exchange: name, frame: text });
      if (!isJsonObject(message) || typeof message.type !== "string") {
        throw malformed("not a message with a type");
      }
      switch (message.type) {
        case "subscriptions": {
          const channels = Array.isArray(message.channels) ? message.channels : [];
          const ticker = channels.find((c) => isJsonObject(c) && c.name === "ticker") as
            | JsonObject
            | undefined;
          const ids = Array.isArray(ticker?.product_ids) ? (ticker.product_ids as unknown[]) : [];
          io.subscribed(ids.map((id) => io.canonical(String(id)) ?? String(id)));
          return;
        }
        case "error":
          io.reject(
            new StreamError(
              `${name}: ${String(message.message ?? "error")}${message.reason ? `: ${String(message.reason)}` : ""}`,
              { kind: "subscribe-failed", exchange: name, frame: text },
            ),
          );
          return;
        case "heartbeat": {
          if (
            typeof message.product_id !== "string" ||
            io.canonical(message.product_id) === undefined
          ) {
            throw new StreamError(`${name}: a heartbeat for ${String(message.product_id)}`, {
              kind: "foreign",
              exchange: name,
              frame: text,
            });
          }
          return;
        }
        case "ticker":
          break;
        default:
          return; // New message types appear without notice; they are not ours to judge.
      }
      const productId = message.product_id;
      const symbol = typeof productId === "string" ? io.canonical(productId) : undefined;
      if (symbol === undefined) {
        throw new StreamError(`${name}: a ticker for ${String(productId)}, not subscribed`, {
          kind: "foreign",
          exchange: name,
          frame: text,
        });
      }
      if (typeof message.sequence !== "number" && typeof message.sequence !== "string") {
        throw malformed("ticker without a sequence", symbol);
      }
      let sequence: bigint;
      try {
        sequence = BigInt(message.sequence);
      } catch (cause) {
        throw new StreamError(`${name}: ticker sequence ${String(message.sequence)}`, {
          kind: "malformed",
          exchange: name,
          symbol,
          frame: text,
          cause,
        });
      }
      const context = { exchange: name, frame: text, symbol };
      const bid = framePrice(message.best_bid, "best_bid", context);
      const ask = framePrice(message.best_ask, "best_ask", context);
      const last = framePrice(message.price, "price", context);
      const previous = sequences.get(symbol);
      if (previous !== undefined && sequence <= previous) return; // old or repeated
      if (previous !== undefined && sequence > previous + 1n) {
        io.gap(symbol, String(previous + 1n), String(sequence));
      }
      sequences.set(symbol, sequence);
      const exchangeTime =
        typeof message.time === "string" ? parseRfc3339(message.time) : undefined;
      io.quote({ symbol, bid, ask, last, ...(exchangeTime !== undefined ? { exchangeTime } : {}) });
    },
  };
  return createStream(protocol, { ...options, name });
}
