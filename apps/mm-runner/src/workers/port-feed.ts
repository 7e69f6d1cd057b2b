import type { MessagePort } from "node:worker_threads";
import { type CallOptions, PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { fromWireError } from "./wire/wire-error.ts";

export interface PortFeed extends PriceFeed {
  /** Hands a `price` answer from the main thread to the waiting call. */
  answer(message: Extract<ToWorker, { type: "price" }>): void;
  /** Hands a tick the main thread pushed to the subscribers of its symbol. */
  push(tick: PriceTick): void;
  /** Rejects every waiting call (the worker is stopping). */
  close(reason: unknown): void;
}

export interface PortFeedOptions {
  /** The main thread pushes ticks: offer `subscribe` (core then requotes on moves). */
  readonly pushed?: boolean;
}

/**
 * The worker's `PriceFeed`: asks the main thread, which owns the one shared price feed,
 * so many symbols do not multiply requests to the exchanges.
 */
export function createPortFeed(
  port: Pick<MessagePort, "postMessage">,
  options: PortFeedOptions = {},
): PortFeed {
  let nextId = 1;
  const listeners = new Set<{ symbol: string; listener: (tick: PriceTick) => void }>();
  const subscribe = (symbol: string, listener: (tick: PriceTick) => void) => {
    const entry = { symbol, listener };
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
  const waiting = new Map<
    number,
    { resolve: (tick: PriceTick) => void; reject: (error: unknown) => void }
  >();

  return {
    // Without pushed ticks there must be no `subscribe`: core then stays in poll mode.
    ...(options.pushed ? { subscribe } : {}),
    push(tick) {
      for (const { symbol, listener } of [...listeners]) {
        if (symbol !== tick.symbol) continue;
        try {
          listener(tick);
        } catch {
          // A listener's failure is its own; the next tick still goes to everyone.
        }
      }
    },
    latest(symbol: string, options: CallOptions = {}): Promise<PriceTick> {
      const { signal } = options;
      if (signal?.aborted) {
        return Promise.reject(aborted(symbol, signal.reason));
      }
      const id = nextId++;
      return new Promise<PriceTick>((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(id);
          reject(aborted(symbol, signal?.reason));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiting.set(id, {
          resolve: (tick) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(tick);
          },
          reject: (error) => {
            signal?.removeEventListener("abort", onAbort);
            reject(error);
          },
        });
        const request: FromWorker = { type: "price-request", id, symbol };
        port.postMessage(request);
      });
    },
    answer(message) {
      const waiter = waiting.get(message.id);
      if (!waiter) return;
      waiting.delete(message.id);
      if (message.tick) waiter.resolve(message.tick);
      else waiter.reject(fromWireError(message.error ?? { name: "Error", message: "no price" }));
    },
    close(reason) {
      listeners.clear();
      for (const waiter of waiting.values()) waiter.reject(reason);
      waiting.clear();
    },
  };
}

function aborted(symbol: string, cause: unknown): PriceError {
  return new PriceError(`asking the main thread for ${symbol} was aborted`, {
    kind: "aborted",
    symbol,
    cause,
  });
}
