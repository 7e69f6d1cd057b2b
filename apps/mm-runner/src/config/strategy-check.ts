import { gt, lt, parseDecimal } from "@matchingo-mm/core";
import type { Problem } from "./raw.ts";
import type { SymbolConfig } from "./types.ts";
import type { ResolvedSymbol } from "./valued.ts";

/** Bounds of the strategy's time settings, in seconds. */
const BOUNDS = {
  asHorizonSeconds: ["1", "604800"],
  volatilityWindowSeconds: ["1", "86400"],
} as const;

/** AS_HORIZON_SECONDS and VOLATILITY_WINDOW_SECONDS within their bounds, named as given. */
export function checkStrategy({ config, names }: ResolvedSymbol, at: string): Problem[] {
  const problems: Problem[] = [];
  for (const [key, [low, high]] of Object.entries(BOUNDS) as [
    keyof typeof BOUNDS,
    readonly [string, string],
  ][]) {
    const value = config[key];
    if (value === undefined) continue;
    const seconds = parseDecimal(value);
    if (lt(seconds, parseDecimal(low)) || gt(seconds, parseDecimal(high))) {
      const valued = names.get(key);
      problems.push({
        name: valued?.name ?? key,
        value: valued?.raw ?? value,
        message: `must be from ${low} to ${high} seconds${at}`,
      });
    }
  }
  return problems;
}

/** The strategy's settings as core's market maker takes them (seconds → ms). */
export function strategyOptionsOf(
  config: Pick<
    SymbolConfig,
    "strategy" | "asGamma" | "asKappa" | "asHorizonSeconds" | "volatilityWindowSeconds"
  >,
) {
  return {
    strategy: config.strategy,
    asGamma: config.asGamma,
    asKappa: config.asKappa,
    ...(config.asHorizonSeconds === undefined
      ? {}
      : { asHorizonMs: secondsToMs(config.asHorizonSeconds) }),
    volatilityWindowMs: secondsToMs(config.volatilityWindowSeconds),
  };
}

/** Whole ms of a decimal number of seconds (at least 1). */
export function secondsToMs(seconds: string): number {
  return Math.max(1, Math.round(Number(seconds) * 1000));
}
