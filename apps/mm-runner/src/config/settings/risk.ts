import { decimalNonNegative, decimalPositive } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** Position and loss limits, fees. */
export const RISK_SETTINGS = {
  maxPosition: {
    schema: decimalPositive,
    env: "MAX_POSITION",
    scope: "symbol",
    help: "Position limit, base units: no order rests that, filled with every other live order of its side, would take |position| past it. Not set: no limit.",
  },
  inventorySkewPercent: {
    schema: decimalNonNegative,
    env: "INVENTORY_SKEW_PERCENT",
    scope: "symbol",
    default: "0",
    help: "Moves the ladder's centre to P × (1 − skew%/100 × position/MAX_POSITION), clamped at the limit; needs MAX_POSITION. 0: off.",
  },
  makerFeeBps: {
    schema: decimalNonNegative,
    env: "MAKER_FEE_BPS",
    scope: "symbol",
    default: "0",
    help: "Maker fee in basis points of each fill's notional, subtracted from realized P&L.",
  },
  maxLoss: {
    schema: decimalPositive,
    env: "MAX_LOSS",
    scope: "symbol",
    help: "Quote units: when the symbol's realized + unrealized P&L reaches −MAX_LOSS its quotes are pulled until resumed. Not set: no limit.",
  },
  maxDrawdown: {
    schema: decimalPositive,
    env: "MAX_DRAWDOWN",
    scope: "symbol",
    help: "Quote units below the symbol's peak P&L since start at which its quotes are pulled until resumed. Not set: no limit.",
  },
} as const satisfies SettingTable;
