import { parseSymbol, type SymbolOverrides, type SymbolRule, spellSymbol } from "../../symbols.ts";

/** Kraken's REST altnames glue base and quote and keep its own asset codes (`XBTUSDT`). */
export const KRAKEN_SYMBOLS: SymbolRule = Object.freeze({
  separator: "",
  assets: { BTC: "XBT", DOGE: "XDG" },
});

export const toKrakenSymbol = (symbol: string, overrides?: SymbolOverrides): string =>
  spellSymbol(KRAKEN_SYMBOLS, symbol, overrides);

/** WebSocket v2 spells pairs `BTC/USD`: canonical assets (BTC, not XBT), a slash between. */
export function toKrakenWsSymbol(symbol: string, overrides: SymbolOverrides = {}): string {
  const override = overrides[symbol];
  if (override !== undefined) return override;
  const parsed = parseSymbol(symbol);
  if (!parsed) throw new Error(`${JSON.stringify(symbol)} is not BASE-QUOTE`);
  return `${parsed.base}/${parsed.quote}`;
}

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
    const base = KRAKEN_SYMBOLS.assets[parsed.base] ?? parsed.base;
    const quote = KRAKEN_SYMBOLS.assets[parsed.quote] ?? parsed.quote;
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
