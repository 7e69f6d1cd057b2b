import type { PricePoint } from "../strategies/types.ts";

/** About this many points are kept (at most twice as many), however long the window. */
const MAX_POINTS = 2000;

export interface PriceHistory {
  /** Records an accepted price (a pushed tick or a cycle's price). */
  record(point: PricePoint, windowMs: number): void;
  /** The points of the last `windowMs` up to `now`, oldest first. */
  window(now: number, windowMs: number): readonly PricePoint[];
}

/**
 * The recent prices a strategy sees (`MarketView.prices`), bounded: a point closer than
 * `windowMs / MAX_POINTS` to the last one kept replaces it (the newest price always
 * counts), and points older than the window are dropped.
 */
export function createPriceHistory(): PriceHistory {
  let points: PricePoint[] = [];
  const trim = (now: number, windowMs: number) => {
    const from = now - windowMs;
    let drop = 0;
    while (drop < points.length && (points[drop] as PricePoint).at < from) drop++;
    if (drop > 0) points = points.slice(drop);
  };
  return {
    record(point, windowMs) {
      const last = points[points.length - 1];
      if (
        last !== undefined &&
        (point.at < last.at || (point.at === last.at && point.price === last.price))
      )
        return;
      const spacing = windowMs / MAX_POINTS;
      const beforeLast = points[points.length - 2];
      // Thin: the last point moves forward instead of a new one piling up.
      if (last !== undefined && beforeLast !== undefined && point.at - beforeLast.at < spacing) {
        points[points.length - 1] = point;
      } else {
        points.push(point);
      }
      trim(point.at, windowMs);
    },
    window(now, windowMs) {
      trim(now, windowMs);
      return points.slice();
    },
  };
}
