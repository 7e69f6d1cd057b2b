import { PriceError } from "@matchingo-mm/core";
import type { Logger } from "pino";
import { checkLadderAtPrice } from "../config/ladder-check.ts";
import type { Problem } from "../config/raw.ts";
import type { RunnerConfig } from "../config/types.ts";
import type { FirstPrices } from "./first-prices.ts";
import { StartupConfigError } from "./startup-config-error.ts";

/**
 * The ladder of every symbol with a first price, checked at that price: the symbols
 * checked (the others are checked by the supervisor when their first price comes).
 */
export function checkLaddersAtFirstPrices(
  config: RunnerConfig,
  first: FirstPrices["first"],
  logger: Logger,
): Set<string> {
  const checked = new Set<string>();
  const problems: Problem[] = [];
  for (const symbol of config.symbols) {
    const answer = first.get(symbol.symbol);
    if (answer === undefined || answer instanceof PriceError) {
      const untrusted = answer?.kind === "untrusted";
      logger.warn(
        { symbol: symbol.symbol, err: answer },
        untrusted
          ? `no trusted first price for ${symbol.symbol} yet (${answer.message}); nothing is quoted until one is, and its ladder is checked then`
          : `no first price for ${symbol.symbol} yet; its ladder is checked when one arrives`,
      );
      continue;
    }
    checked.add(symbol.symbol);
    problems.push(...checkLadderAtPrice(symbol, answer.price));
    logger.info(
      { symbol: symbol.symbol, price: answer.price, source: answer.source },
      `first price of ${symbol.symbol}: ${answer.price} (${answer.source})`,
    );
  }
  if (problems.length > 0) throw new StartupConfigError(problems);
  return checked;
}
