import { PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import {
  type ChainEventListener,
  createFailoverChain,
  createSharedFeed,
  createStreamingFeed,
  type FailoverChain,
  type FeedEventListener,
  type FeedSource,
  type SharedFeed,
  type SourceAdapter,
  type StreamingFeed,
  sourceAdapter,
} from "@matchingo-mm/price-sources";
import type { SourceName } from "../config/schemas.ts";
import type { RunnerConfig } from "../config/types.ts";
import { priceTrustOf } from "./price-trust.ts";
import { sourceSettingsOf } from "./source-settings.ts";

export interface PriceFeedSetup {
  /** What the workers ask (through the main thread): one round serves every symbol. */
  readonly feed: PriceFeed;
  /** The shared REST feed (rounds, reuse); with PRICE_FEED=poll it is `feed`. */
  readonly shared: SharedFeed;
  /** The REST chain: first prices are asked here, so a stream never delays the start. */
  readonly chain: FailoverChain;
  /** With PRICE_FEED=stream: the streaming feed that is `feed` (status, subscribe, close). */
  readonly streaming?: StreamingFeed;
  /** Closes the streams (no-op for poll). */
  close(): void;
  readonly sources: readonly SourceName[];
  /** True when every price comes from the synthetic or replay source. */
  readonly offline: boolean;
}

export interface BuildOptions {
  /** Use these sources instead of the configured list (the sandbox's synthetic fallback). */
  readonly sources?: readonly SourceName[];
  readonly onChainEvent?: ChainEventListener;
  /** Stream, feed and median events of the streaming feed (chain events go to `onChainEvent`). */
  readonly onFeedEvent?: FeedEventListener;
}

/** The configured sources, in failover order, behind one chain and one shared feed. */
export function buildPriceFeed(config: RunnerConfig, options: BuildOptions = {}): PriceFeedSetup {
  const names = options.sources ?? config.priceSources;
  const adapters = names.map(sourceAdapter);
  // One trust for the REST chain (first prices) and the streaming feed: one reference per
  // symbol, whichever way its prices come.
  const offline = adapters.every((adapter) => adapter.offline);
  const trust = priceTrustOf(config, offline);
  const chain = createFailoverChain(
    adapters.map((adapter) => adapter.createSource(sourceSettingsOf(config, adapter))),
    {
      guards: { maxJumpPercent: config.maxJumpPercent },
      trust,
      ...(options.onChainEvent ? { onEvent: options.onChainEvent } : {}),
    },
  );
  const shortest = Math.min(...config.symbols.map((symbol) => symbol.updateIntervalMs));
  const shared = createSharedFeed(chain, {
    // Workers started together ask within a few ms of each other: gather them.
    windowMs: 5,
    // Workers cycle on a shared grid (core's alignToInterval): the first to ask in a slot
    // starts the round, late ones (a busy thread) join it or reuse its answer; the next
    // slot, an interval later, fetches afresh.
    maxAgeMs: Math.max(50, Math.floor(shortest / 2)),
    // Every round asks for all the runner's symbols, so whichever worker asks first in a
    // slot fetches for all, and the others join that round while it is in flight.
    symbols: config.symbols.map((symbol) => symbol.symbol),
  });
  const base = { shared, chain, sources: names, offline };
  const polled = { ...base, feed: shared, close: () => {} };
  if (config.priceFeed !== "stream") return polled;
  // The streams report their own connection events (the feed does not relay them).
  const onStreamEvent = options.onFeedEvent;
  const feedSources = adapters.map((adapter) => feedSource(adapter, config, onStreamEvent));
  // No source left with a stream (all redirected to local REST, or replay): exactly poll.
  if (feedSources.every((source) => source.stream === undefined)) return polled;

  const streaming = createStreamingFeed(feedSources, {
    priceType: config.priceType,
    mode: config.priceMode,
    maxSourceDeviationPercent: config.maxSourceDeviationPercent,
    guards: { maxJumpPercent: config.maxJumpPercent },
    trust,
    // One REST round per source per interval at most while a stream is down.
    pollMaxAgeMs: Math.max(250, Math.min(1000, Math.floor(shortest / 2))),
    onEvent: (event) => {
      if (STREAM_ONLY.has(event.type)) options.onFeedEvent?.(event);
      else options.onChainEvent?.(event as Parameters<ChainEventListener>[0]);
    },
  });
  return { ...base, feed: streaming, streaming, close: () => streaming.close() };
}

/** Feed events that are not the chain's own (those keep going to `onChainEvent`). */
const STREAM_ONLY: ReadonlySet<string> = new Set([
  "stream-connecting",
  "stream-connected",
  "stream-subscribed",
  "stream-disconnected",
  "stream-error",
  "feed-changed",
  "source-excluded",
]);

/**
 * A source of the streaming feed: its stream (when it has one for these settings) and its
 * REST poll, both from its adapter.
 */
function feedSource(
  adapter: SourceAdapter,
  config: RunnerConfig,
  onEvent: FeedEventListener | undefined,
): FeedSource {
  const settings = sourceSettingsOf(config, adapter);
  const poll = adapter.createSource(settings);
  const stream = adapter.createStream?.(
    {
      ...settings,
      staleMs: config.streamStaleMs,
      priceType: config.priceType,
      ...(onEvent ? { onEvent } : {}),
    },
    poll,
  );
  return { name: adapter.name, poll, ...(stream ? { stream } : {}) };
}

/**
 * One round for every symbol, bounded in time: the first prices, to check each ladder
 * before anything is placed and (in the sandbox) to learn whether any live source answers.
 */
export async function firstPrices(
  setup: PriceFeedSetup,
  symbols: readonly string[],
  timeoutMs: number,
): Promise<Map<string, PriceTick | PriceError>> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await setup.chain.latestMany(symbols, { signal });
  } catch (error) {
    return new Map(
      symbols.map((symbol) => [
        symbol,
        new PriceError(`no first price for ${symbol}`, {
          kind: "all-sources-failed",
          symbol,
          cause: error,
        }),
      ]),
    );
  }
}
