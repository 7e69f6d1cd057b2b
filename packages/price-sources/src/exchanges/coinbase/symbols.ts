import { type SymbolOverrides, type SymbolRule, spellSymbol } from "../../symbols.ts";

/** Coinbase's product ids keep the dash (`BTC-USDT`), on REST and on its feed alike. */
export const COINBASE_SYMBOLS: SymbolRule = Object.freeze({ separator: "-", assets: {} });

export const toCoinbaseSymbol = (symbol: string, overrides?: SymbolOverrides): string =>
  spellSymbol(COINBASE_SYMBOLS, symbol, overrides);
