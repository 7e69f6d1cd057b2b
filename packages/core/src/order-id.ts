import { ConfigError, describeValue } from "./config-error.ts";
import { type Clock, type Side, systemClock } from "./ports.ts";

/**
 * Order ids have the seed's form `{MARKET_MAKER_ID}-{buy|sell}-{level}-{timestamp}`.
 * Every order of one cycle shares the cycle's timestamp; side and level tell them apart.
 */
export interface OrderIdParts {
  readonly marketMakerId: string;
  readonly side: Side;
  readonly level: number;
  /** ms since the epoch, made unique per cycle by `createTimestamps`. */
  readonly timestamp: number;
}

const MARKET_MAKER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ORDER_ID = /^(.+)-(buy|sell)-([1-9]\d{0,5})-(\d{1,16})$/;

/** Checks a MARKET_MAKER_ID: 1-64 letters, digits, `.`, `_` or `-`, starting alphanumeric. */
export function validateMarketMakerId(marketMakerId: unknown): string {
  if (typeof marketMakerId !== "string" || !MARKET_MAKER_ID.test(marketMakerId)) {
    throw new ConfigError(
      "marketMakerId must be 1-64 characters of letters, digits, '.', '_' or '-' starting " +
        `with a letter or digit, got ${describeValue(marketMakerId)}`,
      "marketMakerId",
      marketMakerId,
    );
  }
  return marketMakerId;
}

export function formatOrderId(parts: OrderIdParts): string {
  return `${parts.marketMakerId}-${parts.side}-${parts.level}-${parts.timestamp}`;
}

/**
 * Recognises an id of ours (for recovery from a journal or a venue listing). With
 * `marketMakerId`, only ids of that market maker match. Anything else gives undefined.
 */
export function parseOrderId(orderId: string, marketMakerId?: string): OrderIdParts | undefined {
  const match = ORDER_ID.exec(orderId);
  if (!match) return undefined;
  const [, owner = "", side, level = "", timestamp = ""] = match;
  if (!MARKET_MAKER_ID.test(owner)) return undefined;
  if (marketMakerId !== undefined && owner !== marketMakerId) return undefined;
  return {
    marketMakerId: owner,
    side: side as Side,
    level: Number(level),
    timestamp: Number(timestamp),
  };
}

export interface Timestamps {
  /** A timestamp strictly greater than every one this source gave before. */
  next(): number;
  /** The last timestamp given, or the seed before the first. */
  readonly last: number;
}

export interface TimestampOptions {
  readonly clock?: Clock;
  /**
   * Every timestamp will be greater than this, e.g. the largest timestamp found in the
   * journal of an earlier run (see `parseOrderId`).
   */
  readonly after?: number;
}

/**
 * Cycle timestamps for order ids: the clock's ms, bumped by 1 when the clock has not
 * advanced (two cycles in one ms) or went backwards (NTP step), so ids never repeat
 * within a process.
 *
 * Across restarts: a new process seeds from the wall clock, which is past every
 * timestamp the old process issued, because a timestamp only runs ahead of the clock
 * by the number of cycles started within the same ms, while a restart takes far longer
 * than that (and a runner can pass `after` from its journal to make it certain). Even a
 * repeated id could not collide on the venue: the runner cancels every journaled order
 * of the earlier run before its first cycle, and Matchingo only refuses ids that are live.
 */
export function createTimestamps(options: TimestampOptions = {}): Timestamps {
  const clock = options.clock ?? systemClock;
  if (options.after !== undefined && !Number.isSafeInteger(options.after)) {
    throw new ConfigError(
      `after must be a whole number of ms, got ${describeValue(options.after)}`,
      "after",
      options.after,
    );
  }
  let last = options.after ?? Number.NEGATIVE_INFINITY;
  return {
    next() {
      const now = Math.floor(clock.now());
      last = now > last ? now : last + 1;
      return last;
    },
    get last() {
      return last;
    },
  };
}
