import type { ExchangeOptions } from "../exchange.ts";
import type { PriceSource } from "../source.ts";
import type { StreamOptions } from "../streams/connection.ts";
import type { PriceStream } from "../streams/types.ts";
import type { SymbolOverrides, SymbolRule } from "../symbols.ts";
import type { ExchangeAdapter, SourceSettings, StreamSettings } from "./adapter.ts";

/** What an exchange's folder provides; `defineExchange` adds what every exchange shares. */
export interface ExchangeSpec<Name extends string, Rest extends ExchangeOptions, Stream> {
  readonly name: Name;
  readonly label: string;
  readonly endpoints: { readonly rest: string; readonly ws: string };
  readonly symbols: SymbolRule;
  readonly toExchangeSymbol: (symbol: string, overrides?: SymbolOverrides) => string;
  readonly rest: (options?: Rest) => PriceSource;
  readonly stream: (options?: Stream) => PriceStream;
  /** Options of its own the REST source takes from the settings. */
  readonly restOptions?: (settings: SourceSettings) => Rest;
  /** Options of its own the stream takes from the settings. */
  readonly streamOptions?: (settings: StreamSettings) => Stream;
}

/**
 * An exchange adapter from its parts. A stream is only opened where it reaches what the
 * user pointed at: with the REST URL set elsewhere (a local server, a proxy) and the WS URL
 * left at the public default, the exchange is polled only.
 */
export function defineExchange<
  Name extends string,
  Rest extends ExchangeOptions,
  Stream extends StreamOptions,
>(spec: ExchangeSpec<Name, Rest, Stream>): ExchangeAdapter<Name> {
  const { endpoints } = spec;
  return Object.freeze({
    name: spec.name,
    offline: false,
    label: spec.label,
    endpoints,
    symbols: spec.symbols,
    toExchangeSymbol: spec.toExchangeSymbol,
    rest: spec.rest as (options?: ExchangeOptions) => PriceSource,
    stream: spec.stream as (options?: StreamOptions) => PriceStream,
    createSource(settings: SourceSettings): PriceSource {
      return spec.rest({
        ...(settings.restUrl === undefined ? {} : { baseUrl: settings.restUrl }),
        ...spec.restOptions?.(settings),
      } as Rest);
    },
    createStream(settings: StreamSettings): PriceStream | undefined {
      const rest = settings.restUrl ?? endpoints.rest;
      const ws = settings.wsUrl ?? endpoints.ws;
      if (rest !== endpoints.rest && ws === endpoints.ws) return undefined;
      return spec.stream({
        url: ws,
        ...(settings.staleMs === undefined ? {} : { staleMs: settings.staleMs }),
        ...(settings.onEvent === undefined ? {} : { onEvent: settings.onEvent }),
        ...spec.streamOptions?.(settings),
      } as Stream);
    },
  });
}

/** The user's own spellings (`externalSymbol`), as a source's override map. */
export function externalSymbolsOf(settings: SourceSettings): SymbolOverrides {
  return Object.fromEntries(
    settings.symbols.flatMap((symbol) =>
      symbol.externalSymbol === undefined ? [] : [[symbol.symbol, symbol.externalSymbol]],
    ),
  );
}
