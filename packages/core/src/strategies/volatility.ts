import type { PricePoint } from "./types.ts";

/**
 * Realized variance of the price per second, σ² in price units² per second, from the
 * points of a window: the sum of squared moves over the time they took,
 * `Σ (S_i − S_{i−1})² / (t_n − t_0)`. Irregular spacing is fine (a quiet stream adds
 * time, not moves). Fewer than two points, or no time between them: 0 (nothing known).
 */
export function varianceRate(points: readonly PricePoint[]): number {
  if (points.length < 2) return 0;
  const first = points[0] as PricePoint;
  const last = points[points.length - 1] as PricePoint;
  const seconds = (last.at - first.at) / 1000;
  if (!(seconds > 0)) return 0;
  let sum = 0;
  let previous = Number(first.price);
  for (let i = 1; i < points.length; i++) {
    const price = Number((points[i] as PricePoint).price);
    const move = price - previous;
    sum += move * move;
    previous = price;
  }
  const rate = sum / seconds;
  return Number.isFinite(rate) ? rate : 0;
}
