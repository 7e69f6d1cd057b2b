import type { Clock } from "@matchingo-mm/core";
import { callListener, PriceError, systemClock } from "@matchingo-mm/core";
import type { PriceSource } from "../source.ts";
import { StreamError } from "./errors.ts";
import type { PriceStream, StreamEventListener, StreamQuote } from "./types.ts";

export interface TickingStreamOptions {
  /** How often every tracked symbol gets a new quote. Default 250 ms. */
  readonly intervalMs?: number;
  readonly onEvent?: StreamEventListener;
  readonly clock?: Clock;
}

/**
 * A stream made of a local source asked on a timer: the offline sandbox's synthetic walk
 * ticks several times a second, so a ladder can be seen following it live. Not for a
 * remote exchange (that is what the WebSocket adapters are for).
 */
export function tickingStream(
  source: PriceSource,
  options: TickingStreamOptions = {},
): PriceStream {
  const intervalMs = options.intervalMs ?? 250;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
    throw new TypeError(`tickingStream: intervalMs must be a positive number, got ${intervalMs}`);
  }
  const clock = options.clock ?? systemClock;
  const tracked = new Set<string>();
  const quotes = new Map<string, StreamQuote>();
  const listeners = new Set<(quote: StreamQuote) => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  let busy = false;
  let rejected = 0;
  let lastMessageAt: number | undefined;

  async function tick(): Promise<void> {
    if (busy || closed) return;
    busy = true;
    try {
      const answers = await source.fetchTicks([...tracked]);
      for (const [symbol, answer] of answers) {
        if (answer instanceof PriceError) {
          rejected += 1;
          options.onEvent?.({
            type: "stream-error",
            stream: source.name,
            error: new StreamError(answer.message, {
              kind: answer.kind === "invalid-price" ? "invalid-price" : "malformed",
              exchange: source.name,
              symbol,
              cause: answer,
            }),
          });
          continue;
        }
        lastMessageAt = clock.now();
        const quote: StreamQuote = {
          symbol,
          source: source.name,
          bid: answer.bid ?? answer.price,
          ask: answer.ask ?? answer.price,
          last: answer.price,
          receivedAt: answer.receivedAt,
          ...(answer.exchangeTime !== undefined ? { exchangeTime: answer.exchangeTime } : {}),
        };
        quotes.set(symbol, quote);
        for (const listener of listeners) {
          // One listener's bug must not starve the others.
          callListener(listener, quote);
        }
      }
    } finally {
      busy = false;
    }
  }

  return {
    name: source.name,
    track(symbols) {
      if (closed) return;
      for (const symbol of symbols) tracked.add(symbol);
      if (timer === undefined) {
        timer = setInterval(() => void tick(), intervalMs);
        void tick();
      }
    },
    quote: (symbol) => quotes.get(symbol),
    isUp: () =>
      !closed && lastMessageAt !== undefined && clock.now() - lastMessageAt < intervalMs * 4,
    onQuote(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({
      up: !closed && lastMessageAt !== undefined && clock.now() - lastMessageAt < intervalMs * 4,
      connects: timer === undefined ? 0 : 1,
      reconnects: 0,
      gaps: 0,
      rejected,
      lastMessageAt,
    }),
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
