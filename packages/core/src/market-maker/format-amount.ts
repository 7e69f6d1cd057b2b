import { type Decimal, formatDecimal, normalize } from "../decimal.ts";

/** A decimal as the snapshots and ledger show it: normalized, no trailing zeros. */
export function formatAmount(value: Decimal): string {
  return formatDecimal(normalize(value));
}
