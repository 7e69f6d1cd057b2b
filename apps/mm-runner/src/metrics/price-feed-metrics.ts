import { Counter, Gauge } from "prom-client";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

/** How each symbol's price is obtained: stream or poll, from which source, and the stream's health. */
export function priceFeedMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus } = context;
  const feedInfo = new Gauge({
    name: `${prefix}price_feed_info`,
    help: "1 for how each symbol's price is obtained now: via stream (WebSocket) or poll (REST), from which source.",
    labelNames: ["symbol", "source", "via"] as const,
    registers,
    ...fromStatus,
  });
  // Counted by the streaming feed: restated from its numbers at every scrape.
  const streamReconnects = new Counter({
    name: `${prefix}stream_reconnects_total`,
    help: "Reconnects of the price stream each symbol's price comes from.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const streamGaps = new Counter({
    name: `${prefix}stream_gaps_total`,
    help: "Sequence gaps seen on the price stream each symbol's price comes from.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const feedChanges = new Counter({
    name: `${prefix}price_feed_changes_total`,
    help: "Times a symbol's price moved to another source or way (stream to poll and back).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });

  return {
    status: {
      gauges: [feedInfo, streamReconnects, streamGaps, feedChanges],
      read(status) {
        for (const s of status.symbols) {
          const symbol = s.symbol;
          if (s.feed !== undefined) {
            feedInfo.set({ symbol, source: s.feed.source ?? "", via: s.feed.via }, 1);
            streamReconnects.inc({ symbol }, s.feed.reconnects);
            streamGaps.inc({ symbol }, s.feed.gaps);
            feedChanges.inc({ symbol }, s.feed.failovers);
          }
        }
      },
    },
  };
}
