import type { ExchangeOptions } from "../exchange.ts";
import type { PriceSource } from "../source.ts";
import type { StreamOptions } from "../streams/connection.ts";
import type { PriceType } from "../streams/reference.ts";
import type { PriceStream, StreamEventListener } from "../streams/types.ts";
import type { SymbolOverrides, SymbolRule } from "../symbols.ts";

/** A symbol the caller quotes, with what a source may need to know about it. */
export interface SourceSymbol {
  /** Canonical `BASE-QUOTE`. */
  readonly symbol: string;
  /** The user's own spelling on an exchange that takes one (Binance's, like the seed's). */
  readonly externalSymbol?: string;
  /** Where the synthetic walk starts. */
  readonly startPrice?: string;
}

/** A recorded tape for the replay source. The package reads no files: the caller does. */
export interface TapeFile {
  /** Its file name: `.csv` is CSV, anything else JSON lines. */
  readonly name: string;
  read(): string;
}

/** What building any source may need from the caller's settings; each adapter reads its part. */
export interface SourceSettings {
  readonly symbols: readonly SourceSymbol[];
  /** An exchange's REST base URL; its public endpoint when absent. */
  readonly restUrl?: string;
  /** An exchange's WebSocket URL; its public endpoint when absent. */
  readonly wsUrl?: string;
  /** Seed of the synthetic walk. */
  readonly seed?: number;
  /** The replay source's tape. */
  readonly tape?: TapeFile;
}

/** What a stream needs beyond `SourceSettings`. */
export interface StreamSettings extends SourceSettings {
  /** No data and no heartbeat for this long: the connection is dead. */
  readonly staleMs?: number;
  /** The reference price the feed takes (Binance then also streams its trades). */
  readonly priceType?: PriceType;
  readonly onEvent?: StreamEventListener;
}

/**
 * One place prices come from, as the registry knows it: how to build its polled source
 * and its stream from settings. Building a feed loops over these; nothing switches on names.
 */
export interface SourceAdapter<Name extends string = string> {
  /** As listed in PRICE_SOURCES, and `tick.source`. */
  readonly name: Name;
  /** A local stand-in (walk, tape): no market a second source could confirm. */
  readonly offline: boolean;
  /** The source asked in rounds: REST for an exchange, the walk or tape itself offline. */
  createSource(settings: SourceSettings): PriceSource;
  /**
   * Its stream, beside `poll` (the source `createSource` built). Undefined when it has
   * none, or none that should be opened with these settings.
   */
  createStream?(settings: StreamSettings, poll: PriceSource): PriceStream | undefined;
}

/** A real exchange: REST and WebSocket endpoints and its own spelling of symbols. */
export interface ExchangeAdapter<Name extends string = string> extends SourceAdapter<Name> {
  readonly offline: false;
  /** For people: "Coinbase Exchange". */
  readonly label: string;
  /** The public endpoints, the defaults of the REST and WS URL settings. */
  readonly endpoints: { readonly rest: string; readonly ws: string };
  readonly symbols: SymbolRule;
  /** Its REST spelling of a canonical symbol, after the overrides. */
  toExchangeSymbol(symbol: string, overrides?: SymbolOverrides): string;
  /** Its REST source with every option (budget, clock, retries...). */
  rest(options?: ExchangeOptions): PriceSource;
  /** Its WebSocket stream with every option. */
  stream(options?: StreamOptions): PriceStream;
}
