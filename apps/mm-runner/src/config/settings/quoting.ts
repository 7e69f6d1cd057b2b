import {
  decimalNonNegative,
  decimalPositive,
  milliseconds,
  requoteMode,
  seconds,
} from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** When and how finely the ladder is requoted. */
export const QUOTING_SETTINGS = {
  updateIntervalSeconds: {
    schema: seconds,
    env: "UPDATE_INTERVAL_SECONDS",
    scope: "symbol",
    default: "10",
    help: "Seconds between cycles (fractions allowed, e.g. 0.5).",
  },
  priceTick: {
    schema: decimalPositive,
    env: "PRICE_TICK",
    scope: "symbol",
    default: "0.001",
    help: "Price tick: bids round down, asks round up to it. A multiple of the venue's 0.001.",
  },
  qtyStep: {
    schema: decimalPositive,
    env: "QTY_STEP",
    scope: "symbol",
    default: "0.001",
    help: "Lot step of order sizes. A multiple of the venue's 0.001.",
  },
  requoteMode: {
    schema: requoteMode,
    env: "REQUOTE_MODE",
    scope: "symbol",
    default: "diff",
    help: "`diff`: replace only orders off their target; `replace-all`: the seed's cancel-all, place-all.",
  },
  refreshTolerancePercent: {
    schema: decimalNonNegative,
    env: "REFRESH_TOLERANCE_PERCENT",
    scope: "symbol",
    default: "0",
    help: "diff mode: an order within this percent of its target price stays.",
  },
  minRequoteIntervalMs: {
    schema: milliseconds,
    env: "MIN_REQUOTE_INTERVAL_MS",
    scope: "symbol",
    default: "100",
    help: "With a streaming price feed: at most one requote per this many ms; ticks in between coalesce into one on the newest price.",
  },
  maxPriceAgeSeconds: {
    schema: seconds,
    env: "MAX_PRICE_AGE_SECONDS",
    scope: "symbol",
    default: "30",
    help: "Without a good price for this long, quotes are pulled until one returns.",
  },
} as const satisfies SettingTable;
