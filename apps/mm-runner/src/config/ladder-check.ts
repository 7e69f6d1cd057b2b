import {
  type Decimal,
  formatDecimal,
  lt,
  lte,
  mul,
  parseDecimal,
  percentOf,
  sub,
  ZERO,
} from "@matchingo-mm/core";
import type { Problem } from "./raw.ts";
import type { SymbolConfig } from "./types.ts";

/**
 * Checks a symbol's ladder at a real price, before anything is placed: a spread narrower
 * than one tick, levels closer than one tick (they would share a price), or an outer bid
 * at or below zero are configuration errors, not something to quote anyway.
 */
export function checkLadderAtPrice(config: SymbolConfig, price: string): Problem[] {
  const problems: Problem[] = [];
  const p = parseDecimal(price);
  const tick = parseDecimal(config.priceTick);
  const spread = percentOf(p, parseDecimal(config.baseSpreadPercent));
  const step = percentOf(p, parseDecimal(config.priceStepPercent));
  const at = `at ${config.symbol}'s price ${price}`;

  if (lt(spread, tick)) {
    problems.push({
      name: nameOf(config, "baseSpreadPercent", "BASE_SPREAD_PERCENT"),
      value: config.baseSpreadPercent,
      message: `${at} makes a spread of ${show(spread)}, below one PRICE_TICK (${config.priceTick}); widen the spread or use a finer tick`,
    });
  }
  if (config.numLevels > 1 && lt(step, tick)) {
    problems.push({
      name: nameOf(config, "priceStepPercent", "PRICE_STEP_PERCENT"),
      value: config.priceStepPercent,
      message: `${at} makes a level step of ${show(step)}, below one PRICE_TICK (${config.priceTick}); levels would share a price`,
    });
  }
  const outerBid = sub(
    sub(p, mul(spread, parseDecimal("0.5"))),
    mul(step, parseDecimal(String(config.numLevels - 1))),
  );
  if (lte(outerBid, ZERO)) {
    problems.push({
      name: nameOf(config, "numLevels", "NUM_LEVELS"),
      value: config.numLevels,
      message: `${at} puts the outermost bid at ${show(outerBid)} (not above 0); use fewer levels or a smaller step`,
    });
  }
  return problems;
}

function nameOf(config: SymbolConfig, key: string, fallback: string): string {
  return config.origins[key] ?? fallback;
}

function show(value: Decimal): string {
  const text = formatDecimal(value);
  // Long products of percentages are unreadable; 8 digits tell the story.
  const dot = text.indexOf(".");
  return dot === -1 ? text : text.slice(0, dot + 9);
}
