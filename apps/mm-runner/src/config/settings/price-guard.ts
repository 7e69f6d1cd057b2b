import { decimalPositive, integerConfirmations, seconds } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** Which prices are trusted: jumps, first prices (issue 22: these stay together) and the sanity band. */
export const PRICE_GUARD_SETTINGS = {
  maxJumpPercent: {
    schema: decimalPositive,
    env: "MAX_JUMP_PERCENT",
    scope: "runner",
    default: "5",
    help: "A price further than this from the last accepted one is held until confirmed.",
  },
  firstPriceConfirmations: {
    schema: integerConfirmations,
    env: "FIRST_PRICE_CONFIRMATIONS",
    scope: "runner",
    default: "3",
    help: "A first price (at start, and after MAX_PRICE_AGE_SECONDS without one) is quoted on when two sources agree within MAX_SOURCE_DEVIATION_PERCENT, or when the one source answering held it (within that deviation) for this many rounds, at least a second apart. 1: a lone source's first price is taken at once.",
  },
  jumpAcceptSeconds: {
    schema: seconds,
    env: "JUMP_ACCEPT_SECONDS",
    scope: "runner",
    default: "60",
    help: "A jump beyond MAX_JUMP_PERCENT that no second source confirms is taken once every answering source has kept saying it this long (the guard never locks a symbol out). Meanwhile the symbol's quotes are pulled.",
  },
  priceMin: {
    schema: decimalPositive,
    env: "PRICE_MIN",
    scope: "symbol",
    help: "Sanity band: a reference price below this is never quoted on (quotes pulled, the reason in logs, /status, /readyz). Not set: no lower bound.",
  },
  priceMax: {
    schema: decimalPositive,
    env: "PRICE_MAX",
    scope: "symbol",
    help: "Sanity band: a reference price above this is never quoted on. Not set: no upper bound (prices with more than 16 digits before the point are always refused).",
  },
} as const satisfies SettingTable;
