import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import type { PriceFeedSetup } from "../prices/build-feed.ts";

/** The line that says the runner is quoting: which symbols, on which venue, from which prices. */
export function logQuotingStarted(
  config: RunnerConfig,
  venueAddress: string,
  setup: PriceFeedSetup,
  logger: Logger,
): void {
  const symbols = config.symbols.map((symbol) => symbol.symbol);
  const feedKind = setup.streaming
    ? `streaming prices (${config.priceMode}, ${config.priceType}), REST while a stream is down`
    : "polling prices over REST";
  logger.info(
    {
      symbols,
      venue: venueAddress,
      sources: setup.sources,
      priceFeed: setup.streaming ? "stream" : "poll",
    },
    `quoting ${symbols.join(", ")} (one worker thread each), ${feedKind}`,
  );
}
