import type { CallOptions, Clock, PriceFeed, PriceTick } from "@matchingo-mm/core";
import type { GuardOptions } from "../../chain.ts";
import type { ChainEvent } from "../../events.ts";
import type { BackoffOptions } from "../../health.ts";
import type { PriceSource, TickResults } from "../../source.ts";
import type { PriceTrust } from "../../trust.ts";
import type { SourceExcluded } from "../median.ts";
import type { PriceType } from "../reference.ts";
import type { PriceStream, StreamEvent, StreamStats } from "../types.ts";

/** One place prices come from: its live stream, its REST poll, or both (stream first). */
export interface FeedSource {
  /** The source's name: `tick.source`, and the name in events. */
  readonly name: string;
  readonly stream?: PriceStream;
  /** Asked while the stream is down (or when there is none). */
  readonly poll?: PriceSource;
}

export type PriceMode = "failover" | "median";

/** How a symbol's current price is obtained. */
export type FeedVia = "stream" | "poll";

export type FeedEvent =
  | StreamEvent
  | ChainEvent
  /** A symbol's price now comes another way (stream ↔ poll) or from another source. */
  | {
      readonly type: "feed-changed";
      readonly symbol: string;
      readonly from: { readonly source: string; readonly via: FeedVia } | undefined;
      readonly to: { readonly source: string; readonly via: FeedVia };
    }
  | SourceExcluded;

export type FeedEventListener = (event: FeedEvent) => void;

export interface StreamingFeedOptions {
  /** `mid` of best bid and ask (default) or `last` trade. */
  readonly priceType?: PriceType;
  /** `failover` (default): the first usable source in order; `median`: of every fresh one. */
  readonly mode?: PriceMode;
  /** Median mode: a source further than this from the median of all fresh ones is left out. Default 1. */
  readonly maxSourceDeviationPercent?: number | string;
  /** Failover mode's guards (jump, age), as for `createFailoverChain`. */
  readonly guards?: GuardOptions;
  /**
   * When a price is trusted (first price, jumps, band), in both modes; share it with the
   * REST chain of the same runner. Default: `guards.maxJumpPercent` and
   * `maxSourceDeviationPercent`, a first price taken as it comes.
   */
  readonly trust?: PriceTrust;
  /** Failover mode's cool-down of a failed source. Default 250 ms growing to 5 s. */
  readonly backoff?: BackoffOptions;
  /** A REST answer is reused this long (one poll per source per period). Default 1000. */
  readonly pollMaxAgeMs?: number;
  /** Subscribers of a symbol not on a live stream get a polled price this often. Default 1000. */
  readonly pollIntervalMs?: number;
  readonly onEvent?: FeedEventListener;
  readonly clock?: Clock;
}

/** Where one symbol's price comes from right now, for logs, `/status` and metrics. */
export interface FeedStatus {
  readonly symbol: string;
  /** Undefined before the first price. */
  readonly source: string | undefined;
  readonly via: FeedVia | undefined;
  readonly price: string | undefined;
  /** Since the price was received, ms. */
  readonly ageMs: number | undefined;
  /** Reconnects of the stream in use (of every stream of the feed before a first price). */
  readonly reconnects: number;
  readonly gaps: number;
  /** Times the symbol moved to another source or way (`feed-changed`). */
  readonly failovers: number;
}

/**
 * A `PriceFeed` answered from live streams: `latest` answers the newest fresh stream
 * price at once, a source whose stream is down is asked over REST meanwhile, and
 * `subscribe` calls back on every new price. One stream per source for all symbols.
 */
export interface StreamingFeed extends PriceFeed {
  latestMany(symbols: readonly string[], options?: CallOptions): Promise<TickResults>;
  /** Calls `listener` on every change of the symbol's price (or of where it comes from). */
  subscribe(symbol: string, listener: (tick: PriceTick) => void): () => void;
  /** Starts streaming `symbols` now rather than on first use. */
  track(symbols: readonly string[]): void;
  status(symbol: string): FeedStatus;
  streams(): ReadonlyMap<string, StreamStats>;
  readonly sources: readonly string[];
  /** Closes every stream and timer. */
  close(): void;
}

/** Where `latestMany` of the feed gets its answers (the failover chain or the median). */
export type LatestMany = (
  symbols: readonly string[],
  callOptions: CallOptions,
) => Promise<TickResults>;
