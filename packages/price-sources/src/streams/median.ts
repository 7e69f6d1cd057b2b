import type { Decimal, PriceTick } from "@matchingo-mm/core";
import { compare, formatDecimal, PriceError, parseDecimal } from "@matchingo-mm/core";
import { rejectTick } from "../guards.ts";
import { deviationPercent, medianOf } from "./reference.ts";

/** Median mode: a source too far from the median of all fresh sources was left out. */
export interface SourceExcluded {
  readonly type: "source-excluded";
  readonly symbol: string;
  readonly source: string;
  readonly price: string;
  /** The median of every fresh source it was measured against. */
  readonly median: string;
  readonly deviationPercent: string;
}

export interface MedianOptions {
  /** Clock ms: a tick older than `maxTickAgeMs` by it is not used. */
  readonly now: number;
  readonly maxTickAgeMs: number;
  /** How far from the median of all fresh sources a source may be, in percent. */
  readonly maxDeviationPercent: Decimal;
  readonly onExcluded: (event: SourceExcluded) => void;
}

/**
 * One symbol's price from every source's answer: the median of the fresh ones that are
 * within `maxDeviationPercent` of the median of them all, or a PriceError (with every
 * source's reason) when none is left.
 */
export function medianTick(
  symbol: string,
  answers: readonly (PriceTick | PriceError | undefined)[],
  options: MedianOptions,
): PriceTick | PriceError {
  const { now, maxTickAgeMs, maxDeviationPercent, onExcluded } = options;
  const usable: { tick: PriceTick; price: Decimal }[] = [];
  const errors: PriceError[] = [];
  for (const answer of answers) {
    if (answer === undefined) continue;
    if (answer instanceof PriceError) {
      errors.push(answer);
      continue;
    }
    const rejected = rejectTick(answer, symbol, now, { maxTickAgeMs });
    if (rejected) errors.push(rejected);
    else usable.push({ tick: answer, price: parseDecimal(answer.price) });
  }
  // Measured from the median of all fresh sources: with three, that is the middle
  // price itself, so one bad source cannot drag the yardstick the others are held to.
  const all = usable.length > 0 ? medianOf(usable.map((u) => u.price)) : undefined;
  const kept =
    usable.length < 2 || all === undefined
      ? usable
      : usable.filter((candidate) => {
          const deviation = deviationPercent(candidate.price, all);
          if (compare(deviation, maxDeviationPercent) <= 0) return true;
          onExcluded({
            type: "source-excluded",
            symbol,
            source: candidate.tick.source,
            price: candidate.tick.price,
            median: formatDecimal(all),
            deviationPercent: formatDecimal(deviation),
          });
          errors.push(
            new PriceError(
              `${candidate.tick.source}: ${candidate.tick.price} is ${formatDecimal(deviation)}% from the median ${formatDecimal(all)}`,
              { kind: "jump", source: candidate.tick.source, symbol },
            ),
          );
          return false;
        });
  if (kept.length === 0) {
    return new PriceError(
      `median: no usable price for ${symbol}${usable.length > 1 ? " (the sources disagree)" : ""}: ${errors.map((e) => e.message).join(" | ")}`,
      {
        kind: "all-sources-failed",
        source: "median",
        symbol,
        cause: new AggregateError(errors, `every source failed for ${symbol}`),
      },
    );
  }
  const scale = Math.max(...kept.map((k) => k.price.scale));
  const newest = Math.max(...kept.map((k) => k.tick.receivedAt));
  const times = kept.flatMap((k) =>
    k.tick.exchangeTime === undefined ? [] : [k.tick.exchangeTime],
  );
  return {
    symbol,
    price: formatDecimal(medianOf(kept.map((k) => k.price)), scale),
    receivedAt: newest,
    ...(times.length > 0 ? { exchangeTime: Math.min(...times) } : {}),
    source:
      kept.length === 1
        ? kept[0]!.tick.source
        : `median(${kept.map((k) => k.tick.source).join(",")})`,
  };
}

/** The sources a tick was made of: a median's parts (`median(a,b)`), else its one source. */
export function sourcesOf(tick: PriceTick): string[] {
  return tick.source.startsWith("median(") ? tick.source.slice(7, -1).split(",") : [tick.source];
}
