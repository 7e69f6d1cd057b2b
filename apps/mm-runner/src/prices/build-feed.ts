import { readFileSync } from "node:fs";
import { PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import {
  binance,
  binanceStream,
  type ChainEventListener,
  coinbase,
  coinbaseStream,
  createFailoverChain,
  createPriceTrust,
  createSharedFeed,
  createStreamingFeed,
  type FailoverChain,
  type FeedEventListener,
  type FeedSource,
  kraken,
  krakenStream,
  type PriceSource,
  type PriceStream,
  type PriceTrust,
  replay,
  type SharedFeed,
  type StreamingFeed,
  synthetic,
  tickingStream,
} from "@matchingo-mm/price-sources";
import type { Logger } from "pino";
import type { SourceName } from "../config/schemas.ts";
import { SETTINGS } from "../config/settings.ts";
import type { RunnerConfig } from "../config/types.ts";

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
  // One trust for the REST chain (first prices) and the streaming feed: one reference per
  // symbol, whichever way its prices come.
  const offline = names.every((name) => name === "synthetic" || name === "replay");
  const trust = priceTrustOf(config, offline);
  const chain = createFailoverChain(
    names.map((name) => createSource(name, config)),
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
  const feedSources = names.map((name) => feedSource(name, config, onStreamEvent));
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

/**
 * When a symbol's price is trusted (issue 22): a first price (at start, and after
 * MAX_PRICE_AGE_SECONDS without an accepted one) needs two sources agreeing within
 * MAX_SOURCE_DEVIATION_PERCENT or FIRST_PRICE_CONFIRMATIONS rounds of one; a jump beyond
 * MAX_JUMP_PERCENT a second source or JUMP_ACCEPT_SECONDS of every source saying it; and
 * the price must lie within PRICE_MIN..PRICE_MAX. Offline (synthetic, replay) a first
 * price is taken as it comes.
 */
export function priceTrustOf(config: RunnerConfig, offline = false): PriceTrust {
  const bySymbol = new Map(config.symbols.map((symbol) => [symbol.symbol, symbol]));
  return createPriceTrust((symbol) => {
    const settings = bySymbol.get(symbol);
    return {
      maxJumpPercent: config.maxJumpPercent,
      maxDeviationPercent: config.maxSourceDeviationPercent,
      // A local walk or tape is no market a second source could confirm.
      confirmations: offline ? 1 : config.firstPriceConfirmations,
      jumpAcceptMs: config.jumpAcceptMs,
      ...(settings === undefined
        ? {}
        : {
            maxGapMs: settings.maxPriceAgeMs,
            ...(settings.priceMin === undefined ? {} : { priceMin: settings.priceMin }),
            ...(settings.priceMax === undefined ? {} : { priceMax: settings.priceMax }),
          }),
    };
  });
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

const defaultOf = (key: string) => SETTINGS.find((setting) => setting.key === key)?.default;

/**
 * A source of the streaming feed: its WebSocket and its REST poll. An exchange whose REST
 * URL points somewhere else (a local test server, a proxy) while its WS URL is still the
 * public default is polled only: a stream would reach past what the user pointed at.
 */
function feedSource(
  name: SourceName,
  config: RunnerConfig,
  onEvent: FeedEventListener | undefined,
): FeedSource {
  // Binance's REST poll stays one `ticker/price` request (last trade): asking its book
  // too would double the weight spent while the stream is down.
  const poll = createSource(name, config);
  const staleMs = config.streamStaleMs;
  const events = onEvent ? { onEvent } : {};
  const wsUnlessRedirected = (restKey: string, wsKey: string, rest: string, ws: string) =>
    rest !== defaultOf(restKey) && ws === defaultOf(wsKey) ? undefined : ws;
  let stream: PriceStream | undefined;
  switch (name) {
    case "binance": {
      const url = wsUnlessRedirected(
        "binanceUrl",
        "binanceWsUrl",
        config.binanceUrl,
        config.binanceWsUrl,
      );
      if (url)
        stream = binanceStream({
          url,
          staleMs,
          ...events,
          symbolOverrides: binanceOverrides(config),
          trades: config.priceType === "last",
        });
      break;
    }
    case "coinbase": {
      const url = wsUnlessRedirected(
        "coinbaseUrl",
        "coinbaseWsUrl",
        config.coinbaseUrl,
        config.coinbaseWsUrl,
      );
      if (url) stream = coinbaseStream({ url, staleMs, ...events });
      break;
    }
    case "kraken": {
      const url = wsUnlessRedirected(
        "krakenUrl",
        "krakenWsUrl",
        config.krakenUrl,
        config.krakenWsUrl,
      );
      if (url) stream = krakenStream({ url, staleMs, ...events });
      break;
    }
    case "synthetic":
      // The sandbox streams too: four ticks a second, so the ladder is seen following.
      // Its walk is asked directly until the first tick is in (no wait at the start).
      return { name, poll, stream: tickingStream(poll, { intervalMs: 250 }) };
    case "replay":
      break;
  }
  return { name, poll, ...(stream ? { stream } : {}) };
}

function binanceOverrides(config: RunnerConfig): Record<string, string> {
  return Object.fromEntries(
    config.symbols.flatMap((symbol) =>
      symbol.externalSymbol === undefined ? [] : [[symbol.symbol, symbol.externalSymbol]],
    ),
  );
}

function createSource(name: SourceName, config: RunnerConfig): PriceSource {
  switch (name) {
    case "binance":
      return binance({ baseUrl: config.binanceUrl, symbolOverrides: binanceOverrides(config) });
    case "coinbase":
      return coinbase({ baseUrl: config.coinbaseUrl });
    case "kraken":
      return kraken({ baseUrl: config.krakenUrl });
    case "synthetic":
      return synthetic({
        startPrice: Object.fromEntries(
          config.symbols.map((symbol) => [symbol.symbol, symbol.syntheticStartPrice]),
        ),
        seed: config.syntheticSeed,
      });
    case "replay": {
      const path = config.replayFile!;
      return replay({
        tape: readFileSync(path, "utf8"),
        format: path.endsWith(".csv") ? "csv" : "jsonl",
        loop: true,
      });
    }
  }
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

/**
 * Logs the streaming feed's own events (the chain's go through `onChainEvent`): for
 * `buildPriceFeed(config, { onFeedEvent: logFeedEvents(logger) })`. Connection trouble
 * and refused frames are warnings; connects, subscriptions and feed changes are info.
 */
export function logFeedEvents(logger: Logger): FeedEventListener {
  return (event) => {
    switch (event.type) {
      case "stream-connected":
        logger.info(
          { stream: event.stream, url: event.url },
          `price stream ${event.stream} connected`,
        );
        return;
      case "stream-subscribed":
        logger.info(
          { stream: event.stream, symbols: event.symbols },
          `price stream ${event.stream} subscribed ${event.symbols.join(", ")}`,
        );
        return;
      case "stream-disconnected":
        logger.warn(
          {
            stream: event.stream,
            reason: event.reason,
            reconnects: event.reconnects,
            reconnectInMs: event.reconnectInMs,
          },
          `price stream ${event.stream} lost (${event.reason}); reconnecting in ${event.reconnectInMs} ms`,
        );
        return;
      case "stream-error":
        // Coinbase numbers a product's whole feed, so its ticker alone skips numbers on the
        // real exchange: gaps are counted (status) and only logged at debug.
        logger[event.error.kind === "gap" ? "debug" : "warn"](
          {
            stream: event.stream,
            kind: event.error.kind,
            symbol: event.error.symbol,
            frame: event.error.frame,
            err: event.error,
          },
          `price stream ${event.stream}: ${event.error.message}`,
        );
        return;
      case "feed-changed":
        logger.info(
          { symbol: event.symbol, from: event.from, to: event.to },
          `${event.symbol} prices now from ${event.to.source} (${event.to.via})`,
        );
        return;
      case "source-excluded":
        logger.warn(
          {
            symbol: event.symbol,
            source: event.source,
            price: event.price,
            median: event.median,
            deviationPercent: event.deviationPercent,
          },
          `${event.symbol}: ${event.source} left out of the median (${event.price}, ${event.deviationPercent}% from ${event.median})`,
        );
        return;
      default:
        return; // stream-connecting is too chatty to log; chain events go to onChainEvent.
    }
  };
}
