import { ConfigError, type LadderProblem, ladderProblems } from "@matchingo-mm/core";
import { ladderParamsOf } from "./ladder-params.ts";
import type { Problem } from "./raw.ts";
import { SETTING, type SymbolSettingKey } from "./settings.ts";
import type { SymbolConfig } from "./types.ts";

type LadderKey = SymbolSettingKey & keyof SymbolConfig;

/** Core's ladder field → this runner's setting. */
const LADDER_SETTING: Readonly<Record<string, LadderKey>> = {
  baseSpreadPercent: "baseSpreadPercent",
  priceStepPercent: "priceStepPercent",
  levels: "numLevels",
};

/**
 * The settings each kind of ladder problem comes from, the one core names first: an
 * outermost bid at or below zero is as much the step's or the spread's doing as the
 * number of levels'.
 */
const INVOLVED: Record<string, readonly LadderKey[]> = {
  "spread-below-tick": ["baseSpreadPercent"],
  "step-below-tick": ["priceStepPercent"],
  "outer-bid-not-positive": ["numLevels", "priceStepPercent", "baseSpreadPercent"],
};

export interface LadderCheckOptions {
  /**
   * Settings just changed (a live PATCH): a problem several settings make together is
   * named after the one changed, with its value, not after one left as it was.
   */
  readonly changed?: ReadonlySet<string>;
}

/**
 * Checks a symbol's ladder at a real price, before anything is placed: a spread narrower
 * than one tick, levels closer than one tick (they would share a price), or an outer bid
 * at or below zero are configuration errors, not something to quote anyway. Core owns
 * the formula (`ladderProblems`); this names the settings as the user gave them.
 */
export function checkLadderAtPrice(
  config: SymbolConfig,
  price: string,
  options: LadderCheckOptions = {},
): Problem[] {
  let problems: readonly LadderProblem[];
  try {
    problems = ladderProblems(price, ladderParamsOf(config));
  } catch (error) {
    // Validation refuses bad parameters long before a price comes; should one get through,
    // it is still a configuration problem to report, not a crash of the main thread.
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => ({ name: p.field, value: p.value, message: p.message }));
  }
  const at = `at ${config.symbol}'s price ${price}`;
  return problems.map((problem) => {
    const named = LADDER_SETTING[problem.field];
    if (!named) return { name: problem.field, value: problem.value, message: problem.message };
    const involved = INVOLVED[problem.kind] ?? [named];
    const changed = options.changed;
    const key =
      changed === undefined || changed.has(named)
        ? named
        : (involved.find((each) => changed.has(each)) ?? named);
    return {
      name: config.origins[key] ?? (key === named ? SETTING[named].env : key),
      value: config[key],
      message: `${at} ${explain(problem, config)}`,
    };
  });
}

function explain(problem: LadderProblem, config: SymbolConfig): string {
  switch (problem.kind) {
    case "spread-below-tick":
      return `makes a spread of ${problem.amount}, below one PRICE_TICK (${config.priceTick}); widen the spread or use a finer tick`;
    case "step-below-tick":
      return `makes a level step of ${problem.amount}, below one PRICE_TICK (${config.priceTick}); levels would share a price`;
    case "outer-bid-not-positive":
      return `puts the outermost bid at ${problem.amount} (not above 0); use fewer levels or a smaller step`;
    default:
      return problem.message;
  }
}
