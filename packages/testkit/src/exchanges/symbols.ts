/** How the kit finds the canonical symbol behind each exchange's spelling. */
const KRAKEN_ASSETS: Record<string, string> = { BTC: "XBT", DOGE: "XDG" };
const KRAKEN_LEGACY: Record<string, string> = {
  XBT: "XXBT",
  XDG: "XXDG",
  ETH: "XETH",
  USD: "ZUSD",
  EUR: "ZEUR",
};

export function binanceSymbol(canonical: string): string {
  return canonical.replace("-", "");
}

export function krakenRestSymbol(canonical: string): string {
  const [base = "", quote = ""] = canonical.split("-");
  return `${KRAKEN_ASSETS[base] ?? base}${KRAKEN_ASSETS[quote] ?? quote}`;
}

/** The key Kraken's REST result uses: `XXBTZUSD` for two legacy assets, else the altname. */
export function krakenResultKey(canonical: string): string {
  const [base = "", quote = ""] = canonical.split("-");
  const b = KRAKEN_ASSETS[base] ?? base;
  const q = KRAKEN_ASSETS[quote] ?? quote;
  const lb = KRAKEN_LEGACY[b];
  const lq = KRAKEN_LEGACY[q];
  return lb && lq ? `${lb}${lq}` : `${b}${q}`;
}

export function krakenWsSymbol(canonical: string): string {
  return canonical.replace("-", "/");
}

/** The canonical symbol among `known` that `spelled` stands for on `exchange`, if any. */
export function canonicalOf(
  known: Iterable<string>,
  spelled: string,
  exchange: "binance" | "coinbase" | "kraken-rest" | "kraken-ws",
): string | undefined {
  for (const symbol of known) {
    const form =
      exchange === "binance"
        ? binanceSymbol(symbol)
        : exchange === "coinbase"
          ? symbol
          : exchange === "kraken-rest"
            ? krakenRestSymbol(symbol)
            : krakenWsSymbol(symbol);
    if (form === spelled || (exchange === "binance" && form.toLowerCase() === spelled))
      return symbol;
  }
  return undefined;
}
