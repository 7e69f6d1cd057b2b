import type { Clock, Decimal } from "@matchingo-mm/core";
import { systemClock } from "@matchingo-mm/core";
import { parsePercent } from "../../guards.ts";
import type { PriceType } from "../reference.ts";
import type { FeedSource, PriceMode, StreamingFeedOptions } from "./types.ts";

/** A streaming feed's options, checked and with their defaults filled in. */
export interface FeedSettings {
  readonly clock: Clock;
  readonly priceType: PriceType;
  readonly mode: PriceMode;
  readonly maxDeviation: Decimal;
  readonly maxTickAgeMs: number;
  readonly pollMaxAgeMs: number;
  readonly pollIntervalMs: number;
}

/** Throws a TypeError on the first bad source or option, before anything is opened. */
export function feedSettings(
  sources: readonly FeedSource[],
  options: StreamingFeedOptions,
): FeedSettings {
  if (sources.length === 0) throw new TypeError("createStreamingFeed: sources must not be empty");
  for (const source of sources) {
    if (!source.stream && !source.poll) {
      throw new TypeError(`createStreamingFeed: source ${source.name} has neither stream nor poll`);
    }
  }
  const clock = options.clock ?? systemClock;
  const priceType = options.priceType ?? "mid";
  if (priceType !== "mid" && priceType !== "last") {
    throw new TypeError(
      `createStreamingFeed: priceType must be mid or last, got ${String(priceType)}`,
    );
  }
  const mode = options.mode ?? "failover";
  if (mode !== "failover" && mode !== "median") {
    throw new TypeError(
      `createStreamingFeed: mode must be failover or median, got ${String(mode)}`,
    );
  }
  const maxDeviation = parsePercent(
    "maxSourceDeviationPercent",
    options.maxSourceDeviationPercent ?? 1,
  );
  const maxTickAgeMs = options.guards?.maxTickAgeMs ?? 30_000;
  const pollMaxAgeMs = options.pollMaxAgeMs ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  return { clock, priceType, mode, maxDeviation, maxTickAgeMs, pollMaxAgeMs, pollIntervalMs };
}
