import type { FeedEventListener } from "@matchingo-mm/price-sources";
import type { Logger } from "pino";
import type { FeedInfo, PriceStatus } from "../status/runner-status.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type { PriceFeedSetup } from "./build-feed.ts";
import { logFeedEvents } from "./log-feed-events.ts";

/**
 * Where `symbol`'s price comes from now, for `/status`, the metrics and the page: the
 * streaming feed's own view, or (PRICE_FEED=poll, or no source with a stream) the REST
 * poll with the price the symbol was last handed.
 */
export function feedInfoOf(
  setup: PriceFeedSetup,
  symbol: string,
  price: PriceStatus | undefined,
  now: number,
): FeedInfo {
  const streaming = setup.streaming;
  const trust = setup.chain.trust.status(symbol);
  if (!streaming) {
    return {
      trust,
      via: "poll",
      ...(price ? { source: price.source, ageMs: Math.max(0, now - price.receivedAt) } : {}),
      reconnects: 0,
      gaps: 0,
      failovers: 0,
    };
  }
  const status = streaming.status(symbol);
  return {
    trust,
    // Before the first price the feed still starts on its streams (REST answers the
    // first round, so a stream never delays the start).
    via: status.via ?? "stream",
    ...(status.source !== undefined ? { source: status.source } : {}),
    ...(status.ageMs !== undefined ? { ageMs: Math.max(0, status.ageMs) } : {}),
    reconnects: status.reconnects,
    gaps: status.gaps,
    failovers: status.failovers,
  };
}

export interface FeedEventSinks {
  readonly logger: Logger;
  readonly trackers: ReadonlyMap<string, SymbolTracker>;
}

/**
 * The streaming feed's own events: logged (`logFeedEvents`), and a symbol's change of
 * feed (stream ↔ poll, or another exchange) noted in its recent events. Reconnects, gaps
 * and failovers are counted by the feed itself and read from `status(symbol)`.
 */
export function feedEventHandler(sinks: FeedEventSinks): FeedEventListener {
  const log = logFeedEvents(sinks.logger);
  return (event) => {
    log(event);
    if (event.type !== "feed-changed") return;
    const tracker = sinks.trackers.get(event.symbol);
    // The first source of a symbol is no change worth a line on the page.
    if (!tracker || event.from === undefined) return;
    tracker.note(
      "feed-changed",
      `prices now from ${event.to.source} (${event.to.via}), was ${event.from.source} (${event.from.via})`,
      event.to.via === "poll" ? "warn" : "info",
    );
  };
}
