/** Quoting strategies: pure functions from a market view to the ladder we want. */
import { avellanedaStoikov } from "./avellaneda-stoikov.ts";
import { layered } from "./layered.ts";
import type { Strategy, StrategyName } from "./types.ts";

export * from "./avellaneda-stoikov.ts";
export * from "./check-target.ts";
export * from "./layered.ts";
export * from "./types.ts";
export * from "./volatility.ts";

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  layered,
  "avellaneda-stoikov": avellanedaStoikov,
};

export const STRATEGY_NAMES = Object.keys(STRATEGIES) as readonly StrategyName[];
