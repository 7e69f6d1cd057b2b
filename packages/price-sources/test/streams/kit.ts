import type { ExchangeKit, ExchangeName } from "@matchingo-mm/testkit";
import type { PriceStream, StreamEvent, StreamOptions } from "../../src/index.ts";
import { binanceStream, coinbaseStream, krakenStream } from "../../src/index.ts";

export interface Opened {
  readonly stream: PriceStream;
  readonly events: StreamEvent[];
  errors(kind?: string): StreamEvent[];
}

const ADAPTERS = { binance: binanceStream, coinbase: coinbaseStream, kraken: krakenStream };

/** One adapter pointed at the kit, recording its events, with test-sized timings. */
export function open(
  kit: ExchangeKit,
  exchange: ExchangeName,
  options: StreamOptions = {},
): Opened {
  const events: StreamEvent[] = [];
  const stream = ADAPTERS[exchange]({
    url: kit.stream(exchange).url,
    staleMs: 2000,
    reconnect: { initialMs: 20, maxMs: 200 },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return {
    stream,
    events,
    errors: (kind) =>
      events.filter(
        (event) =>
          event.type === "stream-error" && (kind === undefined || event.error.kind === kind),
      ),
  };
}
