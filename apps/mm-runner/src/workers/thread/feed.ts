import { type CallOptions, PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import type { HostApi } from "../wire/protocol.ts";
import type { Client } from "../wire/rpc.ts";

export interface ThreadFeed extends PriceFeed {
  /** Hands a tick the main thread pushed to the subscribers of its symbol. */
  push(tick: PriceTick): void;
  /** Forgets every subscriber (the worker is stopping). */
  close(): void;
}

export interface ThreadFeedOptions {
  /** The main thread pushes ticks: offer `subscribe` (core then requotes on moves). */
  readonly pushed?: boolean;
}

/**
 * The worker's `PriceFeed`: asks the main thread, which owns the one shared price feed,
 * so many symbols do not multiply requests to the exchanges.
 */
export function createThreadFeed(
  host: Pick<Client<HostApi>, "price">,
  options: ThreadFeedOptions = {},
): ThreadFeed {
  const listeners = new Set<{ symbol: string; listener: (tick: PriceTick) => void }>();
  const subscribe = (symbol: string, listener: (tick: PriceTick) => void) => {
    const entry = { symbol, listener };
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
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
    latest: (symbol: string, callOptions: CallOptions = {}) => host.price({ symbol }, callOptions),
    close() {
      listeners.clear();
    },
  };
}

/** A price request the worker gave up on. */
export function priceAborted(symbol: string, cause: unknown): PriceError {
  return new PriceError(`asking the main thread for ${symbol} was aborted`, {
    kind: "aborted",
    symbol,
    cause,
  });
}
