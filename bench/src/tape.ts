import { formatDecimal } from "@matchingo-mm/core";

/** A seeded uniform generator in [0, 1) (mulberry32): the same seed, the same tape. */
export function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Standard normal draws (Box-Muller) from a seeded uniform generator. */
export function normal(seed: number): () => number {
  const next = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

export interface TapeSpec {
  readonly seed: number;
  readonly ticks: number;
  /** First price, a decimal string with `digits` fractional digits (e.g. "50000.00"). */
  readonly start: string;
  /** Standard deviation of one tick's move, percent of the price (e.g. 0.02). */
  readonly sdPercent: number;
  /** Fractional digits of every price (the price tick is 10^-digits). */
  readonly digits: number;
}

/**
 * A random walk of prices: each tick moves by a normal draw of `sdPercent` of the price,
 * rounded to whole ticks. Only the draw is a float; every price is an exact decimal.
 */
export function randomWalk(spec: TapeSpec): string[] {
  const draw = normal(spec.seed);
  const scale = 10 ** spec.digits;
  let units = BigInt(Math.round(Number(spec.start) * scale));
  const prices: string[] = [];
  for (let i = 0; i < spec.ticks; i++) {
    if (i > 0) {
      units += BigInt(Math.round((Number(units) * spec.sdPercent * draw()) / 100));
      if (units <= 0n) units = 1n;
    }
    prices.push(formatDecimal({ units, scale: spec.digits }));
  }
  return prices;
}

/** What a tape looks like, for the output. */
export function describeTape(prices: readonly string[], digits: number) {
  const values = prices.map(Number);
  const moves = values.slice(1).map((v, i) => Math.abs(v - values[i]!));
  const ticks = moves.map((m) => Math.round(m * 10 ** digits)).sort((a, b) => a - b);
  const meanPct = moves.reduce((a, m, i) => a + (100 * m) / values[i]!, 0) / (moves.length || 1);
  return {
    first: prices[0]!,
    last: prices[prices.length - 1]!,
    min: formatDecimal({
      units: BigInt(Math.round(Math.min(...values) * 10 ** digits)),
      scale: digits,
    }),
    max: formatDecimal({
      units: BigInt(Math.round(Math.max(...values) * 10 ** digits)),
      scale: digits,
    }),
    meanAbsMovePercent: Math.round(meanPct * 1e5) / 1e5,
    medianMoveTicks: ticks[Math.floor(ticks.length / 2)] ?? 0,
    unchangedTicks: ticks.filter((t) => t === 0).length,
  };
}
