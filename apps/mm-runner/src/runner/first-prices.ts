import { PriceError } from "@matchingo-mm/core";
import type { FeedEventListener } from "@matchingo-mm/price-sources";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import type { chainEventHandler } from "../log/chain-events.ts";
import { buildPriceFeed, firstPrices, type PriceFeedSetup } from "../prices/build-feed.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type { StartOptions } from "./types.ts";

export interface FirstPrices {
  readonly setup: PriceFeedSetup;
  readonly first: Awaited<ReturnType<typeof firstPrices>>;
  /** Not a live market: the sandbox's fallback, or sources configured as synthetic. */
  readonly synthetic: boolean;
  /** No live source could be reached and the sandbox fell back to synthetic prices. */
  readonly fallback: boolean;
}

/**
 * The price feed and its first round. With the embedded venue (the sandbox) and no live
 * source reachable, the feed is rebuilt on synthetic prices, loudly.
 */
export async function takeFirstPrices(
  config: RunnerConfig,
  logger: Logger,
  embeddedVenue: boolean,
  listeners: {
    readonly onChainEvent: ReturnType<typeof chainEventHandler>;
    readonly onFeedEvent: FeedEventListener;
  },
  options: StartOptions,
): Promise<FirstPrices> {
  const symbols = config.symbols.map((symbol) => symbol.symbol);
  const timeoutMs = options.firstPriceTimeoutMs ?? 5000;
  const setup = buildPriceFeed(config, listeners);
  const first = await firstPrices(setup, symbols, timeoutMs);
  // A price not trusted yet (one source, not yet confirmed) still shows a live source answers.
  const anyPrice = [...first.values()].some(
    (answer) => !(answer instanceof PriceError) || answer.kind === "untrusted",
  );
  if (!embeddedVenue || setup.offline || anyPrice || options.signal?.aborted) {
    return { setup, first, synthetic: setup.offline, fallback: false };
  }
  logger.warn(
    { sources: setup.sources },
    "SANDBOX: no live price source can be reached; quoting on SYNTHETIC prices (a random walk, not a market). Set BINANCE_URL/COINBASE_URL/KRAKEN_URL or connect to the internet for live prices.",
  );
  // The live feed's streams (never started: the first round is REST) are dropped with it.
  setup.close();
  const synthetic = buildPriceFeed(config, { ...listeners, sources: ["synthetic"] });
  return {
    setup: synthetic,
    first: await firstPrices(synthetic, symbols, timeoutMs),
    synthetic: true,
    fallback: true,
  };
}

/** Synthetic prices are noted on every symbol's status, so the page says so. */
export function noteSyntheticPrices(
  prices: FirstPrices,
  trackers: ReadonlyMap<string, SymbolTracker>,
) {
  if (!prices.synthetic) return;
  const note = prices.fallback
    ? "SANDBOX: no live source reachable; prices are SYNTHETIC"
    : `prices come from ${prices.setup.sources.join(", ")} (not a live market)`;
  for (const tracker of trackers.values()) tracker.note("synthetic-prices", note, "warn");
}
