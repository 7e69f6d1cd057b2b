import { readFileSync } from "node:fs";
import {
  type ExchangeName,
  isExchangeName,
  type SourceAdapter,
  type SourceSettings,
  type TapeFile,
} from "@matchingo-mm/price-sources";
import type { RunnerConfig } from "../config/types.ts";

/**
 * What a source's adapter reads from the runner's configuration: the symbols with their
 * own spellings and start prices, the exchange's URLs (`<name>Url`, `<name>WsUrl`), the
 * synthetic seed and the replay tape. Every adapter takes the same shape and reads its part.
 */
export function sourceSettingsOf(config: RunnerConfig, adapter: SourceAdapter): SourceSettings {
  return {
    symbols: config.symbols.map((symbol) => ({
      symbol: symbol.symbol,
      startPrice: symbol.syntheticStartPrice,
      ...(symbol.externalSymbol === undefined ? {} : { externalSymbol: symbol.externalSymbol }),
    })),
    ...(isExchangeName(adapter.name) ? urlsOf(config, adapter.name) : {}),
    seed: config.syntheticSeed,
    ...(config.replayFile === undefined ? {} : { tape: tapeFile(config.replayFile) }),
  };
}

/** An exchange's URL settings, named after it: a new exchange without them does not compile. */
function urlsOf(config: RunnerConfig, name: ExchangeName) {
  return { restUrl: config[`${name}Url` as const], wsUrl: config[`${name}WsUrl` as const] };
}

/** The package reads no files (it runs on Node, Bun and Deno): the runner reads the tape. */
function tapeFile(path: string): TapeFile {
  return { name: path, read: () => readFileSync(path, "utf8") };
}
