/**
 * The seed's worked example (marketmaker-design.md, "Cycle 1" and the move to 50100): the
 * one ladder every layer is checked against, written once here.
 */

/** Its parameters as a core `LadderParams` needs them (without the tick and lot step). */
export const SEED_LADDER = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
} as const;

/** Its parameters as the runner's environment. */
export const SEED_ENV: Readonly<Record<string, string>> = {
  MARKET_MAKER_ID: "mm-01",
  NUM_LEVELS: "3",
  BASE_SPREAD_PERCENT: "0.1",
  PRICE_STEP_PERCENT: "0.05",
  ORDER_SIZE: "0.01",
};

/** A ladder's prices, bids and asks each best first. */
export interface SeedLadder {
  readonly bids: readonly string[];
  readonly asks: readonly string[];
}

/** The reference price of cycle 1 and of cycle 2. */
export const SEED_PRICES = ["50000.00", "50100.00"] as const;

/** The ladder of each cycle, at a tick of 0.01 (two decimals). */
export const SEED_CYCLES: readonly [SeedLadder, SeedLadder] = [
  {
    bids: ["49975.00", "49950.00", "49925.00"],
    asks: ["50025.00", "50050.00", "50075.00"],
  },
  {
    bids: ["50074.95", "50049.90", "50024.85"],
    asks: ["50125.05", "50150.10", "50175.15"],
  },
];

/**
 * Cycle `cycle` (1 or 2)'s ladder as a venue shows it: each price with `digits` decimals
 * (Matchingo's fixed point shows 3), and `suffix` after each (e.g. " 0.01" for the size).
 */
export function seedCycle(
  cycle: 1 | 2,
  options: { readonly digits?: number; readonly suffix?: string } = {},
): { bids: string[]; asks: string[] } {
  const digits = options.digits ?? 2;
  const suffix = options.suffix ?? "";
  const show = (price: string) => {
    const [whole = "", fraction = ""] = price.split(".");
    if (digits < fraction.replace(/0+$/, "").length) {
      throw new RangeError(`seedCycle: ${price} does not fit ${digits} decimals`);
    }
    const shown =
      digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, "0").slice(0, digits)}`;
    return `${shown}${suffix}`;
  };
  const ladder = SEED_CYCLES[cycle - 1]!;
  return { bids: ladder.bids.map(show), asks: ladder.asks.map(show) };
}
