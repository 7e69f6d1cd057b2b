import type { CallOptions } from "@matchingo-mm/core";
import { callListener, PriceError } from "@matchingo-mm/core";
import { createFailoverChain } from "../chain.ts";
import { createPriceTrust } from "../trust.ts";
import { medianMode } from "./feed/median-mode.ts";
import { feedSettings } from "./feed/settings.ts";
import { createFeedStatus } from "./feed/status.ts";
import { createAnswerWays, streamOrPoll } from "./feed/stream-or-poll.ts";
import { createSubscribers } from "./feed/subscribers.ts";
import type {
  FeedEvent,
  FeedSource,
  LatestMany,
  StreamingFeed,
  StreamingFeedOptions,
} from "./feed/types.ts";

/**
 * Builds the feed over `sources`, in preference order: each source's stream, else its REST
 * poll (`stream-or-poll.ts`), picked by the failover chain or the median (`median-mode.ts`),
 * with where each price came from in `status.ts` and the subscribers in `subscribers.ts`.
 */
export function createStreamingFeed(
  sources: readonly FeedSource[],
  options: StreamingFeedOptions = {},
): StreamingFeed {
  const settings = feedSettings(sources, options);
  const { clock, priceType, mode, pollMaxAgeMs } = settings;
  const names = sources.map((source) => source.name);

  function emit(event: FeedEvent): void {
    // A listener's bug must not cost a price.
    callListener(options.onEvent, event);
  }

  const tracked = new Set<string>();
  function track(symbols: readonly string[]): void {
    const fresh = symbols.filter((symbol) => !tracked.has(symbol));
    if (fresh.length === 0) return;
    for (const symbol of fresh) tracked.add(symbol);
    for (const source of sources) source.stream?.track(fresh);
  }

  const ways = createAnswerWays();
  const composites = sources.map((source) =>
    streamOrPoll(source, { priceType, pollMaxAgeMs, clock, ways }),
  );

  const trust =
    options.trust ??
    createPriceTrust(
      {
        maxJumpPercent: options.guards?.maxJumpPercent ?? 5,
        maxDeviationPercent: options.maxSourceDeviationPercent ?? 1,
      },
      clock,
    );
  /** The failover chain's answers (the first usable source in order), or the median's. */
  let pick: LatestMany;
  if (mode === "failover") {
    const chain = createFailoverChain(composites, {
      ...(options.guards ? { guards: options.guards } : {}),
      trust,
      backoff: options.backoff ?? { initialMs: 250, maxMs: 5000 },
      clock,
      name: "stream-failover",
      onEvent: emit,
    });
    pick = (symbols, callOptions) => chain.latestMany(symbols, callOptions);
  } else {
    pick = medianMode(composites, {
      trust,
      clock,
      maxTickAgeMs: settings.maxTickAgeMs,
      maxDeviation: settings.maxDeviation,
      emit,
    });
  }

  const status = createFeedStatus(sources, { ways, clock, emit });

  async function latestMany(symbols: readonly string[], callOptions: CallOptions = {}) {
    track(symbols);
    const results = await pick(symbols, callOptions);
    status.note(results);
    return results;
  }

  const subscribers = createSubscribers(sources, {
    latestMany,
    track,
    clock,
    pollIntervalMs: settings.pollIntervalMs,
  });

  return {
    sources: names,
    latestMany,
    async latest(symbol, callOptions = {}) {
      const answer = (await latestMany([symbol], callOptions)).get(symbol);
      if (answer instanceof PriceError) throw answer;
      if (answer === undefined) {
        throw new PriceError(`no answer for ${symbol}`, { kind: "bad-payload", symbol });
      }
      return answer;
    },
    subscribe: subscribers.subscribe,
    track,
    status: status.status,
    streams: status.streams,
    close() {
      subscribers.close();
      for (const source of sources) source.stream?.close();
    },
  };
}
