/**
 * Canonical symbols are `BASE-QUOTE` in capitals (`BTC-USDT`). Each exchange spells them
 * its own way; these rules and the per-source override map translate.
 */

export type Exchange = "binance" | "coinbase" | "kraken";

export interface SymbolRule {
  /** Between base and quote: Coinbase `BTC-USDT`, the others glue them. */
  readonly separator: string;
  /** Assets the exchange names differently (Kraken's `XBT`, `XDG`). */
  readonly assets: Readonly<Record<string, string>>;
}

export const SYMBOL_RULES: Readonly<Record<Exchange, SymbolRule>> = Object.freeze({
  binance: { separator: "", assets: {} },
  coinbase: { separator: "-", assets: {} },
  kraken: { separator: "", assets: { BTC: "XBT", DOGE: "XDG" } },
});

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
 * The exchange's name for a canonical symbol: the override when there is one, else the
 * exchange's rule. Throws a `SymbolError` naming the symbol when it is not `BASE-QUOTE`.
 */
export function toExchangeSymbol(
  exchange: Exchange,
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
  const rule = SYMBOL_RULES[exchange];
  const asset = (name: string) => rule.assets[name] ?? name;
  return `${asset(parsed.base)}${rule.separator}${asset(parsed.quote)}`;
}

/** All three exchanges' names for a canonical symbol. */
export function exchangeSymbols(symbol: string): Readonly<Record<Exchange, string>> {
  return {
    binance: toExchangeSymbol("binance", symbol),
    coinbase: toExchangeSymbol("coinbase", symbol),
    kraken: toExchangeSymbol("kraken", symbol),
  };
}

/** The mapping for the pairs a market maker usually quotes, spelled out. */
export const SYMBOL_TABLE: Readonly<Record<string, Readonly<Record<Exchange, string>>>> =
  Object.freeze(
    Object.fromEntries(
      [
        "BTC-USDT",
        "ETH-USDT",
        "SOL-USDT",
        "DOGE-USDT",
        "BTC-USD",
        "ETH-USD",
        "DOGE-USD",
        "ETH-BTC",
        "BTC-EUR",
      ].map((symbol) => [symbol, exchangeSymbols(symbol)]),
    ),
  );

// ---------------------------------------------------------------- Kraken result keys

/**
 * Kraken's legacy asset codes: crypto carries an `X` prefix, fiat a `Z`, and a pair of
 * two legacy assets is keyed by both codes glued (`XBTUSD` answers as `XXBTZUSD`).
 */
const KRAKEN_LEGACY_CRYPTO = new Set([
  "XBT",
  "XDG",
  "ETH",
  "LTC",
  "XRP",
  "XLM",
  "ETC",
  "ZEC",
  "XMR",
  "REP",
  "MLN",
]);
const KRAKEN_LEGACY_FIAT = new Set(["USD", "EUR", "GBP", "JPY", "CAD", "AUD"]);

function krakenLegacyCode(asset: string): string | undefined {
  if (KRAKEN_LEGACY_CRYPTO.has(asset)) return `X${asset}`;
  if (KRAKEN_LEGACY_FIAT.has(asset)) return `Z${asset}`;
  return undefined;
}

/**
 * Every key Kraken may use in `result` for a pair asked as `altname` (e.g. `XBTUSD`):
 * the altname itself, the legacy `XXBTZUSD` form, and the `wsname` `XBT/USD`.
 */
export function krakenResultKeys(symbol: string, altname: string): string[] {
  const keys = new Set([altname]);
  const parsed = parseSymbol(symbol);
  if (parsed) {
    const rule = SYMBOL_RULES.kraken;
    const base = rule.assets[parsed.base] ?? parsed.base;
    const quote = rule.assets[parsed.quote] ?? parsed.quote;
    if (altname === `${base}${quote}`) {
      keys.add(`${base}/${quote}`);
      const legacyBase = krakenLegacyCode(base);
      const legacyQuote = krakenLegacyCode(quote);
      if (legacyBase && legacyQuote) keys.add(`${legacyBase}${legacyQuote}`);
    }
  }
  return [...keys];
}

const KRAKEN_ASSET_TO_CANONICAL: Readonly<Record<string, string>> = { XBT: "BTC", XDG: "DOGE" };
/** Quote assets Kraken glues to the base in altnames, longest first. */
const KRAKEN_QUOTES = [
  "USDT",
  "USDC",
  "PYUSD",
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "CAD",
  "AUD",
  "CHF",
  "XBT",
  "ETH",
  "DAI",
];

function krakenAssetToCanonical(asset: string): string {
  return KRAKEN_ASSET_TO_CANONICAL[asset] ?? asset;
}

/**
 * The canonical symbol a Kraken pair name stands for, in any of its spellings: legacy
 * (`XXBTZUSD`, `XETHXXBT`), wsname (`XBT/USDT`) or altname (`XBTUSDT`). Undefined when
 * the name cannot be read; used to tell "renamed by Kraken" from "another pair".
 */
export function canonicalFromKrakenKey(key: string): string | undefined {
  const legacy = /^X([A-Z]{3})([XZ])([A-Z]{3})$/.exec(key);
  if (legacy) {
    const [, base, quotePrefix, quote] = legacy as unknown as [string, string, string, string];
    if (
      krakenLegacyCode(base) === `X${base}` &&
      krakenLegacyCode(quote) === `${quotePrefix}${quote}`
    ) {
      return `${krakenAssetToCanonical(base)}-${krakenAssetToCanonical(quote)}`;
    }
  }
  const ws = /^([A-Z0-9]+)\/([A-Z0-9]+)$/.exec(key);
  if (ws) return `${krakenAssetToCanonical(ws[1]!)}-${krakenAssetToCanonical(ws[2]!)}`;
  for (const quote of KRAKEN_QUOTES) {
    if (key.length > quote.length && key.endsWith(quote) && /^[A-Z0-9]+$/.test(key)) {
      const base = key.slice(0, -quote.length);
      return `${krakenAssetToCanonical(base)}-${krakenAssetToCanonical(quote)}`;
    }
  }
  return undefined;
}
