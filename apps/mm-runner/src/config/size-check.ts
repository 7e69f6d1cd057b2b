import {
  type ConfigProblem,
  describeSizes,
  gt,
  isMultipleOf,
  levelSizes,
  lt,
  parseDecimal,
  readSizes,
} from "@matchingo-mm/core";
import type { Problem } from "./raw.ts";
import type { SymbolConfig } from "./types.ts";
import type { ResolvedSymbol, SymbolValuedKey } from "./valued.ts";

/**
 * The venue holds quantities as int64 thousandths: (2^63 − 1) / 1000 is the largest size
 * it can take. Its finest step, 0.001, is QTY_STEP's floor (checked with PRICE_TICK's).
 */
export const VENUE_MAX_QUANTITY = "9223372036854775.807";

/**
 * A symbol's sizes per level: exactly one form (a list, a step or a multiplier), a list as
 * long as NUM_LEVELS, each size given a multiple of QTY_STEP and not below it (a size
 * derived by a step or multiplier is quantized down to it and must stay above 0), and no
 * level past what the venue can hold. Problems name the settings as given.
 */
export function checkSizes({ config, names }: ResolvedSymbol, at: string): Problem[] {
  const named = (field: string, message: string): Problem => {
    const key = field as SymbolValuedKey & keyof SymbolConfig;
    const valued = names.get(key);
    return {
      name: valued?.name ?? key,
      value: valued?.raw ?? config[key],
      message: `${message}${at}`,
    };
  };
  const read: ConfigProblem[] = [];
  const orderSize = readSizes(config.orderSize, read);
  if (orderSize === undefined) return read.map((p) => named(p.field, p.message));
  const qtyStep = parseDecimal(config.qtyStep);
  // Where the step came from ("QTY_STEP (default)", a flag, the file): the one to change.
  const lotStep = names.get("qtyStep")?.name ?? "QTY_STEP";
  const list = Array.isArray(orderSize);
  for (const size of list ? orderSize : [orderSize]) {
    // One size keeps the seed's words; a list says which of its sizes.
    const what = list ? `holds ${describeSizes(size)},` : "is";
    if (lt(size, qtyStep)) {
      return [named("orderSize", `${what} below the lot step ${lotStep}=${config.qtyStep}`)];
    }
    if (!isMultipleOf(size, qtyStep)) {
      return [
        named("orderSize", `${what} not a multiple of the lot step ${lotStep}=${config.qtyStep}`),
      ];
    }
  }
  const step = config.orderSizeStep;
  const multiplier = config.orderSizeMultiplier;
  const result = levelSizes(
    {
      orderSize,
      ...(step === undefined ? {} : { orderSizeStep: parseDecimal(step) }),
      ...(multiplier === undefined ? {} : { orderSizeMultiplier: parseDecimal(multiplier) }),
    },
    config.numLevels,
    qtyStep,
  );
  const out = result.problems.map((p) => named(p.field, p.message));
  const largest = result.sizes?.reduce((a, b) => (gt(b, a) ? b : a));
  // A size as given (one, or a list) is the venue limits' check (cross-check.ts); here only
  // what a step or a multiplier grows it to.
  const grown = multiplier !== undefined || step !== undefined;
  if (grown && largest !== undefined && gt(largest, parseDecimal(VENUE_MAX_QUANTITY))) {
    const field = multiplier !== undefined ? "orderSizeMultiplier" : "orderSizeStep";
    out.push(
      named(
        field,
        `makes a level's size ${describeSizes(largest)}, more than the venue can hold (${VENUE_MAX_QUANTITY})`,
      ),
    );
  }
  return out;
}
