import type { FeedEventListener } from "@matchingo-mm/price-sources";
import type { Logger } from "pino";

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
