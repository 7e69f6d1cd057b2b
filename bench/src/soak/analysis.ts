/**
 * The soak's arithmetic (issue 26), pure: growth per hour by least squares, whether a count
 * stays flat, and the event-loop delay of the first and last windows.
 */

/** One figure over time: ms since the soak started, and its value. */
export interface Point {
  readonly atMs: number;
  readonly value: number;
}

const HOUR_MS = 3_600_000;

/**
 * The least-squares slope of the points, as a percentage of their mean per hour: +1 means the
 * fitted line rises by 1 % of the mean value every hour. NaN with fewer than two points or
 * no spread in time.
 */
export function growthPercentPerHour(points: readonly Point[]): number {
  const finite = points.filter((p) => Number.isFinite(p.value));
  if (finite.length < 2) return Number.NaN;
  const n = finite.length;
  const meanT = finite.reduce((sum, p) => sum + p.atMs, 0) / n;
  const meanV = finite.reduce((sum, p) => sum + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of finite) {
    covariance += (p.atMs - meanT) * (p.value - meanV);
    variance += (p.atMs - meanT) ** 2;
  }
  if (variance === 0 || meanV === 0) return Number.NaN;
  const slopePerMs = covariance / variance;
  return ((slopePerMs * HOUR_MS) / meanV) * 100;
}

/** The points from `fromMs` on (the post-warm-up part of a series). */
export function after(points: readonly Point[], fromMs: number): Point[] {
  return points.filter((p) => p.atMs >= fromMs);
}

export interface Flatness {
  readonly flat: boolean;
  /** Mean of the first and the last quarter of the points. */
  readonly first: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Whether a count (handles, descriptors) stays flat: the mean of the last quarter of the
 * points is at most `slack` above the first quarter's (a socket or timer open at one sample
 * and not the next is noise; a leak climbs past it).
 */
export function flatness(points: readonly Point[], slack = 2): Flatness {
  const values = points.map((p) => p.value).filter(Number.isFinite);
  if (values.length === 0) {
    return { flat: false, first: Number.NaN, last: Number.NaN, min: Number.NaN, max: Number.NaN };
  }
  const quarter = Math.max(1, Math.floor(values.length / 4));
  const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = meanOf(values.slice(0, quarter));
  const last = meanOf(values.slice(-quarter));
  return {
    flat: last - first <= slack,
    first,
    last,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export interface WindowsCompared {
  /** The window's length, ms (ten minutes, or less on a short run). */
  readonly windowMs: number;
  /** Mean of the per-sample values in the first and in the last window after the warm-up. */
  readonly first: number;
  readonly last: number;
  /** `last` at most 25 % above `first`, or at most `slack` above it (small figures are noisy). */
  readonly unchanged: boolean;
}

/**
 * Compares the first and the last `windowMs` after `fromMs` (each sample is the event-loop
 * delay p99 since the previous one). On a run shorter than two windows, each window is half
 * of what follows the warm-up.
 */
export function firstAndLastWindows(
  points: readonly Point[],
  fromMs: number,
  endMs: number,
  windowMs: number,
  slack: number,
): WindowsCompared {
  const window = Math.min(windowMs, Math.max(0, (endMs - fromMs) / 2));
  const meanIn = (from: number, to: number) => {
    const values = points
      .filter((p) => p.atMs >= from && p.atMs <= to)
      .map((p) => p.value)
      .filter(Number.isFinite);
    return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const first = meanIn(fromMs, fromMs + window);
  const last = meanIn(endMs - window, endMs);
  return {
    windowMs: window,
    first,
    last,
    unchanged:
      Number.isFinite(first) &&
      Number.isFinite(last) &&
      (last <= first * 1.25 || last - first <= slack),
  };
}

/** Sums every sample of a Prometheus metric in a text exposition (all label sets). */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) {
      sum += value;
      found = true;
    }
  }
  return found ? sum : Number.NaN;
}
