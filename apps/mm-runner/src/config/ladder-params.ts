import type { LadderParams } from "@matchingo-mm/core";
import type { SymbolConfig } from "./types.ts";

// Its own module, apart from ladder-check.ts: every worker imports it, and the check reads
// the settings table (valibot, the price sources' registry) that a worker has no use for.

/** A symbol's ladder settings as core's ladder takes them. */
export function ladderParamsOf(config: SymbolConfig): LadderParams {
  return {
    levels: config.numLevels,
    baseSpreadPercent: config.baseSpreadPercent,
    priceStepPercent: config.priceStepPercent,
    orderSize: config.orderSize,
    ...(config.orderSizeStep === undefined ? {} : { orderSizeStep: config.orderSizeStep }),
    ...(config.orderSizeMultiplier === undefined
      ? {}
      : { orderSizeMultiplier: config.orderSizeMultiplier }),
    priceTick: config.priceTick,
    qtyStep: config.qtyStep,
  };
}
