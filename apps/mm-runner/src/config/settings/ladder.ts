import { decimalNonNegative, decimalPositive, integerLevels, sizes } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The ladder: levels, spread, step and sizes. */
export const LADDER_SETTINGS = {
  numLevels: {
    schema: integerLevels,
    env: "NUM_LEVELS",
    scope: "symbol",
    default: "3",
    help: "Price levels on each side.",
  },
  baseSpreadPercent: {
    schema: decimalPositive,
    env: "BASE_SPREAD_PERCENT",
    aliases: ["SPREAD_PERCENT"],
    scope: "symbol",
    default: "0.1",
    help: "Spread of the innermost level, percent of the price (bid at P - P*s/200).",
  },
  priceStepPercent: {
    schema: decimalNonNegative,
    env: "PRICE_STEP_PERCENT",
    scope: "symbol",
    default: "0.05",
    help: "Distance between levels, percent of the price.",
  },
  orderSize: {
    schema: sizes,
    env: "ORDER_SIZE",
    scope: "symbol",
    default: "0.01",
    help: "Quantity of every order, or one per level innermost first (`0.01,0.02,0.04`, as many as NUM_LEVELS); each quantized down to QTY_STEP.",
  },
  orderSizeStep: {
    schema: decimalNonNegative,
    env: "ORDER_SIZE_STEP",
    scope: "symbol",
    help: "Added to the size at each level outward: level i gets ORDER_SIZE + (i − 1) × step (Hummingbot's order_level_amount). Not with a list or ORDER_SIZE_MULTIPLIER.",
  },
  orderSizeMultiplier: {
    schema: decimalPositive,
    env: "ORDER_SIZE_MULTIPLIER",
    scope: "symbol",
    help: "Each level's size is the previous one's times this: level i gets ORDER_SIZE × m^(i − 1). Not with a list or ORDER_SIZE_STEP.",
  },
} as const satisfies SettingTable;
