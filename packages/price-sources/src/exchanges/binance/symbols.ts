import { type SymbolOverrides, type SymbolRule, spellSymbol } from "../../symbols.ts";

/** Binance glues base and quote (`BTCUSDT`) and names every asset the usual way. */
export const BINANCE_SYMBOLS: SymbolRule = Object.freeze({ separator: "", assets: {} });

/** Binance's REST spelling of a canonical symbol (`BTC-USDT` → `BTCUSDT`). */
export const toBinanceSymbol = (symbol: string, overrides?: SymbolOverrides): string =>
  spellSymbol(BINANCE_SYMBOLS, symbol, overrides);

/** Its stream names are the same in lower case (`btcusdt@bookTicker`). */
export const toBinanceStreamSymbol = (symbol: string, overrides?: SymbolOverrides): string =>
  toBinanceSymbol(symbol, overrides).toLowerCase();
