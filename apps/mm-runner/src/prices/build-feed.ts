import { readFileSync } from "node:fs";
import { PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";
import {
  binance,
  type ChainEventListener,
  coinbase,
  createFailoverChain,
  createSharedFeed,
  type FailoverChain,
  kraken,
  type PriceSource,
  replay,
  type SharedFeed,
  synthetic,
} from "@matchingo-mm/price-sources";
import type { SourceName } from "../config/schemas.ts";
import type { RunnerConfig } from "../config/types.ts";

export interface PriceFeedSetup {
  /** What the workers ask (through the main thread): one round serves every symbol. */
  readonly feed: PriceFeed;
  /** The shared feed behind it (rounds, reuse). */
  readonly shared: SharedFeed;
  readonly chain: FailoverChain;
  readonly sources: readonly SourceName[];
  /** True when every price comes from the synthetic or replay source. */
  readonly offline: boolean;
}

export interface BuildOptions {
  /** Use these sources instead of the configured list (the sandbox's synthetic fallback). */
  readonly sources?: readonly SourceName[];
  readonly onChainEvent?: ChainEventListener;
}

/** The configured sources, in failover order, behind one chain and one shared feed. */
export function buildPriceFeed(config: RunnerConfig, options: BuildOptions = {}): PriceFeedSetup {
  const names = options.sources ?? config.priceSources;
  const chain = createFailoverChain(
    names.map((name) => createSource(name, config)),
    {
      guards: { maxJumpPercent: config.maxJumpPercent },
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
  const offline = names.every((name) => name === "synthetic" || name === "replay");
  return { feed: shared, shared, chain, sources: names, offline };
}

function createSource(name: SourceName, config: RunnerConfig): PriceSource {
  switch (name) {
    case "binance": {
      const overrides = Object.fromEntries(
        config.symbols.flatMap((symbol) =>
          symbol.externalSymbol === undefined ? [] : [[symbol.symbol, symbol.externalSymbol]],
        ),
      );
      return binance({ baseUrl: config.binanceUrl, symbolOverrides: overrides });
    }
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
