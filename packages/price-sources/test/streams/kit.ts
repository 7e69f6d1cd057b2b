import type { ExchangeKit, ExchangeName } from "@matchingo-mm/testkit";
import type { PriceStream, StreamEvent, StreamOptions } from "../../src/index.ts";
import { exchangeAdapter } from "../../src/index.ts";

export interface Opened {
  readonly stream: PriceStream;
  readonly events: StreamEvent[];
  errors(kind?: string): StreamEvent[];
}

/** One adapter pointed at the kit, recording its events, with test-sized timings. */
export function open(
  kit: ExchangeKit,
  exchange: ExchangeName,
  options: StreamOptions = {},
): Opened {
  const events: StreamEvent[] = [];
  const stream = exchangeAdapter(exchange).stream({
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
