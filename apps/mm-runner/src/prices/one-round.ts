import { type CallOptions, PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import type { SharedFeed } from "@matchingo-mm/price-sources";

/**
 * Every symbol of the runner in one round: the first worker to ask in a slot asks the
 * shared feed for all of them, and the others join that call while it is in flight (the
 * shared feed then answers them from the round, fresh, for its `maxAgeMs`). Asking the
 * shared feed symbol by symbol instead, a worker whose symbol was only riding along in a
 * round in flight would start a second round.
 */
export function oneRoundForAll(feed: SharedFeed, symbols: readonly string[]): PriceFeed {
  const all = [...new Set(symbols)];
  let inFlight: Promise<ReadonlyMap<string, PriceTick | PriceError>> | undefined;

  const round = () => {
    if (inFlight) return inFlight;
    const current = feed.latestMany(all).finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  };

  return {
    async latest(symbol: string, options: CallOptions = {}): Promise<PriceTick> {
      if (!all.includes(symbol)) return feed.latest(symbol, options);
      const answers = await waitFor(round(), symbol, options.signal);
      const answer =
        answers.get(symbol) ??
        new PriceError(`no answer for ${symbol}`, { kind: "bad-payload", symbol });
      if (answer instanceof PriceError) throw answer;
      return answer;
    },
  };
}

/** A caller's signal ends its own wait only; the round goes on for the others. */
function waitFor<T>(promise: Promise<T>, symbol: string, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  const aborted = () =>
    new PriceError(`waiting for ${symbol} was aborted`, {
      kind: "aborted",
      symbol,
      cause: signal.reason,
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
