import { createStream, type StreamOptions, type StreamProtocol } from "../../streams/connection.ts";
import { StreamError } from "../../streams/errors.ts";
import {
  type ExactJson,
  ExactJsonError,
  JsonNumber,
  parseExactJson,
} from "../../streams/exact-json.ts";
import { framePrice } from "../../streams/frame.ts";
import { isJsonObject } from "../../streams/json-object.ts";
import type { PriceStream } from "../../streams/types.ts";
import { toKrakenWsSymbol } from "./symbols.ts";

export type KrakenStreamOptions = StreamOptions;

export const KRAKEN_WS_URL = "wss://ws.kraken.com/v2";

type Json = { readonly [key: string]: ExactJson };
const isObject = (value: unknown): value is Json =>
  isJsonObject(value) && !(value instanceof JsonNumber);

/**
 * Kraken WebSocket v2 `ticker` with `event_trigger: "bbo"` (every change of the best bid
 * or offer) and `snapshot: true`. Its prices are JSON numbers: frames are read with
 * `parseExactJson`, so a price keeps every digit it was sent with. v2 symbols are
 * `BTC/USD` (BTC, not XBT). A server `ping` is answered with `pong`.
 */
export function krakenStream(options: KrakenStreamOptions = {}): PriceStream {
  const name = options.name ?? "kraken";

  const protocol: StreamProtocol = {
    exchange: "kraken",
    defaultUrl: KRAKEN_WS_URL,
    toExchange: toKrakenWsSymbol,
    subscribe: (symbols, nextId) => [
      JSON.stringify({
        method: "subscribe",
        params: { channel: "ticker", symbol: [...symbols], event_trigger: "bbo", snapshot: true },
        req_id: nextId(),
      }),
    ],
    handle(text, io) {
      const malformed = (what: string, cause?: unknown) =>
        new StreamError(`${name}: ${what}`, {
          kind: "malformed",
          exchange: name,
          frame: text,
          ...(cause === undefined ? {} : { cause }),
        });
      let message: ExactJson;
      try {
        message = parseExactJson(text);
      } catch (cause) {
        if (cause instanceof ExactJsonError) throw malformed(`not JSON: ${cause.message}`, cause);
        throw cause;
      }
      if (!isObject(message)) throw malformed("not a JSON object");
      if (typeof message.method === "string") {
        if (message.method === "ping") {
          io.send(
            JSON.stringify({
              method: "pong",
              ...(message.req_id instanceof JsonNumber
                ? { req_id: Number(message.req_id.text) }
                : {}),
            }),
          );
          return;
        }
        if (message.method === "pong") return;
        if (message.method !== "subscribe") return; // answers to methods we do not use
        const result = isObject(message.result) ? message.result : undefined;
        if (message.success !== true) {
          io.reject(
            new StreamError(
              `${name}: subscribe refused: ${typeof message.error === "string" ? message.error : "no reason given"}`,
              { kind: "subscribe-failed", exchange: name, frame: text },
            ),
          );
          return;
        }
        const symbol = typeof result?.symbol === "string" ? result.symbol : undefined;
        io.subscribed(symbol ? [io.canonical(symbol) ?? symbol] : []);
        return;
      }
      if (message.channel === "heartbeat" || message.channel === "status") return;
      if (message.channel !== "ticker") {
        throw new StreamError(`${name}: a frame on channel ${JSON.stringify(message.channel)}`, {
          kind: "foreign",
          exchange: name,
          frame: text,
        });
      }
      if (message.type !== "snapshot" && message.type !== "update") {
        throw malformed(`ticker frame of type ${JSON.stringify(message.type)}`);
      }
      if (!Array.isArray(message.data) || message.data.length === 0) {
        throw malformed("ticker frame without data");
      }
      for (const entry of message.data as readonly ExactJson[]) {
        if (!isObject(entry) || typeof entry.symbol !== "string") {
          throw malformed("ticker entry without a symbol");
        }
        const symbol = io.canonical(entry.symbol);
        if (symbol === undefined) {
          throw new StreamError(`${name}: a ticker for ${entry.symbol}, not subscribed`, {
            kind: "foreign",
            exchange: name,
            frame: text,
          });
        }
        const price = (field: string): string | undefined => {
          const value = entry[field];
          if (value === undefined || value === null) return undefined;
          // Kraken sends numbers; a string would be another feed's habit, still exact.
          const literal = value instanceof JsonNumber ? value.text : value;
          return framePrice(literal, field, { exchange: name, frame: text, symbol });
        };
        const bid = price("bid");
        const ask = price("ask");
        if (bid === undefined || ask === undefined)
          throw malformed(`ticker for ${symbol} without bid and ask`);
        const last = price("last");
        io.quote({ symbol, bid, ask, ...(last ? { last } : {}) });
      }
    },
  };
  return createStream(protocol, { ...options, name });
}
