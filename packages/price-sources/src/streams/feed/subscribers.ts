import type { Clock, PriceTick } from "@matchingo-mm/core";
import { callListener, PriceError } from "@matchingo-mm/core";
import type { TickResults } from "../../source.ts";
import type { FeedSource } from "./types.ts";

export interface SubscribersOptions {
  /** The feed's own `latestMany`: a subscriber gets what `latest` would answer. */
  readonly latestMany: (symbols: readonly string[]) => Promise<TickResults>;
  /** Starts streaming a symbol once it has a subscriber. */
  readonly track: (symbols: readonly string[]) => void;
  readonly clock: Clock;
  /** Subscribers of a symbol not on a live stream get a polled price this often. */
  readonly pollIntervalMs: number;
}

export interface Subscribers {
  /** Calls `listener` on every change of the symbol's price (or of where it comes from). */
  subscribe(symbol: string, listener: (tick: PriceTick) => void): () => void;
  /** Stops the poll timer and the streams' quote hooks; no subscriber is called after it. */
  close(): void;
}

/**
 * The feed's subscribers: a stream quote of a subscribed symbol recomputes its price, and
 * a subscriber is called when the price (or its source) changed.
 */
export function createSubscribers(
  sources: readonly FeedSource[],
  options: SubscribersOptions,
): Subscribers {
  const { latestMany, track, clock, pollIntervalMs } = options;
  const listeners = new Map<string, Set<(tick: PriceTick) => void>>();
  const lastSent = new Map<string, PriceTick>();
  const evaluating = new Set<string>();
  const evaluatedAt = new Map<string, number>();
  const again = new Set<string>();
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const unhooks = sources.flatMap((source) =>
    source.stream
      ? [
          source.stream.onQuote((quote) => {
            if (listeners.has(quote.symbol)) void evaluate(quote.symbol);
          }),
        ]
      : [],
  );

  /** Recomputes a subscribed symbol's price; one at a time, the newest quote wins. */
  async function evaluate(symbol: string): Promise<void> {
    if (evaluating.has(symbol)) {
      again.add(symbol);
      return;
    }
    evaluating.add(symbol);
    try {
      do {
        again.delete(symbol);
        evaluatedAt.set(symbol, clock.now());
        const answer = (await latestMany([symbol])).get(symbol);
        if (closed || answer === undefined || answer instanceof PriceError) continue;
        const previous = lastSent.get(symbol);
        if (previous && previous.price === answer.price && previous.source === answer.source) {
          if (answer.receivedAt > previous.receivedAt) lastSent.set(symbol, answer);
          continue;
        }
        lastSent.set(symbol, answer);
        for (const listener of [...(listeners.get(symbol) ?? [])]) {
          // One subscriber's bug must not starve the others.
          callListener(listener, answer);
        }
      } while (again.has(symbol));
    } finally {
      evaluating.delete(symbol);
    }
  }

  /**
   * A subscribed symbol no stream quote has woken for `pollIntervalMs` (its stream is down
   * or quiet) is asked anyway: that is the REST fallback for subscribers.
   */
  function pollSubscribed(): void {
    const now = clock.now();
    for (const symbol of listeners.keys()) {
      if (now - (evaluatedAt.get(symbol) ?? 0) >= pollIntervalMs) void evaluate(symbol);
    }
  }

  return {
    subscribe(symbol, listener) {
      let set = listeners.get(symbol);
      if (!set) {
        set = new Set();
        listeners.set(symbol, set);
      }
      set.add(listener);
      track([symbol]);
      pollTimer ??= setInterval(pollSubscribed, pollIntervalMs);
      void evaluate(symbol);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(symbol);
        if (listeners.size === 0 && pollTimer !== undefined) {
          clearInterval(pollTimer);
          pollTimer = undefined;
        }
      };
    },
    close() {
      closed = true;
      clearInterval(pollTimer);
      for (const unhook of unhooks) unhook();
    },
  };
}
