/**
 * Canonical symbols are `BASE-QUOTE` in capitals (`BTC-USDT`). Each exchange spells them
 * its own way: its folder under `exchanges/` holds its `SymbolRule` (and any quirks), and
 * `spellSymbol` applies a rule after the per-source override map.
 */

export interface SymbolRule {
  /** Between base and quote: Coinbase `BTC-USDT`, the others glue them. */
  readonly separator: string;
  /** Assets the exchange names differently (Kraken's `XBT`, `XDG`). */
  readonly assets: Readonly<Record<string, string>>;
}

/** Canonical symbol → exchange form, per canonical symbol, for the runner's config. */
export type SymbolOverrides = Readonly<Record<string, string>>;

const CANONICAL = /^([A-Z0-9]{1,20})-([A-Z0-9]{1,20})$/;

export interface CanonicalSymbol {
  readonly base: string;
  readonly quote: string;
}

/** Splits `BTC-USDT`; undefined when the text is not a canonical symbol. */
export function parseSymbol(symbol: string): CanonicalSymbol | undefined {
  const match = CANONICAL.exec(symbol);
  if (!match) return undefined;
  return { base: match[1]!, quote: match[2]! };
}

export class SymbolError extends Error {
  override readonly name = "SymbolError";
}

/**
 * A canonical symbol spelled by `rule`: the override when there is one, else the rule.
 * Throws a `SymbolError` naming the symbol when it is not `BASE-QUOTE`.
 */
export function spellSymbol(
  rule: SymbolRule,
  symbol: string,
  overrides: SymbolOverrides = {},
): string {
  const override = overrides[symbol];
  if (override !== undefined) return override;
  const parsed = parseSymbol(symbol);
  if (!parsed) {
    throw new SymbolError(
      `symbol ${JSON.stringify(symbol)} is not a canonical BASE-QUOTE symbol (e.g. BTC-USDT)`,
    );
  }
  const asset = (name: string) => rule.assets[name] ?? name;
  return `${asset(parsed.base)}${rule.separator}${asset(parsed.quote)}`;
}
