import { id, nonEmptyText, symbol, symbolList } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** What is quoted, and under which id. */
export const MARKET_SETTINGS = {
  marketSymbol: {
    schema: symbol,
    env: "MARKET_SYMBOL",
    scope: "runner",
    default: "BTC-USDT",
    help: "The symbol to quote, `BASE-QUOTE`; also the Matchingo book name.",
  },
  marketSymbols: {
    schema: symbolList,
    env: "MARKET_SYMBOLS",
    scope: "runner",
    help: "Several symbols at once, comma separated (one worker thread each); replaces MARKET_SYMBOL.",
  },
  externalSymbol: {
    schema: nonEmptyText,
    env: "EXTERNAL_SYMBOL",
    scope: "symbol",
    help: "Binance's symbol when the derived one (BTC-USDT → BTCUSDT) is wrong. With several symbols: only in the config file, per symbol.",
  },
  marketMakerId: {
    schema: id,
    env: "MARKET_MAKER_ID",
    scope: "symbol",
    default: "mm-01",
    help: "This market maker's id: order ids, user_address, journal. With several symbols each gets `<id>-<SYMBOL>` unless set per symbol.",
  },
} as const satisfies SettingTable;
