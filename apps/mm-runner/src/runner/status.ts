import type { FillStreamStatus } from "../fills/fill-stream-status.ts";
import type { TradeStream } from "../fills/trade-stream.ts";
import type { RunnerStatus } from "../ops/index.ts";
import type { PriceFeedSetup } from "../prices/build-feed.ts";
import { feedInfoOf } from "../prices/feed-status.ts";
import type { MemoryBook } from "../status/memory.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type { VenueConnection } from "./venue-connection.ts";

/** What the status shows that the start learns step by step, or the shutdown changes. */
export interface RunState {
  shuttingDown: boolean;
  // Known once the first prices are in; the ops endpoint starts only after that.
  synthetic: boolean;
  feedSetup: PriceFeedSetup | undefined;
  fillStream: TradeStream | undefined;
}

/** `/status` without a trade stream. */
const POLLED_FILLS: FillStreamStatus = {
  mode: "poll",
  state: "down",
  since: 0,
  detail: "FILL_FEED=poll: fills are learned by GetOrder polls",
  lastOffset: {},
  lag: 0,
  garbage: 0,
  pending: 0,
  outages: 0,
};

/** The runner's status (`/status`, the live page, the metrics), read anew on each call. */
export function statusReader(parts: {
  readonly startedAt: number;
  readonly venue: Pick<VenueConnection, "address" | "embedded" | "depth">;
  readonly trackers: ReadonlyMap<string, SymbolTracker>;
  readonly memory: MemoryBook;
  readonly state: Readonly<RunState>;
}): () => RunnerStatus {
  const { startedAt, venue, trackers, memory, state } = parts;
  return (): RunnerStatus => {
    const now = Date.now();
    const { fillStream, synthetic, shuttingDown, feedSetup } = state;
    return {
      startedAt,
      now,
      venue: { address: venue.address, embedded: venue.embedded },
      fills: fillStream?.status() ?? POLLED_FILLS,
      synthetic,
      shuttingDown,
      memory: memory.read(),
      symbols: [...trackers.values()].map((tracker) => {
        const snapshot = tracker.snapshot();
        const status = venue.embedded
          ? { ...snapshot, depth: venue.depth(snapshot.book, snapshot.marketMakerId) }
          : snapshot;
        return feedSetup
          ? { ...status, feed: feedInfoOf(feedSetup, status.symbol, status.price, now) }
          : status;
      }),
    };
  };
}
