import { Histogram } from "prom-client";
import { amount, type FamilyContext, type MetricFamily, RPC_BUCKETS } from "./metric-family.ts";

/** Our fills: how many, how they were learned, the volume, and how fast a requote followed. */
export function fillMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, counter } = context;
  const fills = counter("fills_total", "Fills of our resting orders.", ["symbol", "side"]);
  const fillsBySource = counter(
    "fills_by_source_total",
    "Fills by how they were learned: stream (the venue's trade stream), reconciliation (what the stream missed), poll, place-response, cancel-found-gone.",
    ["symbol", "source"],
  );
  const fillReaction = new Histogram({
    name: `${prefix}fill_reaction_seconds`,
    help: "From a trade-stream fill's arrival to the end of the requote that reacted to it.",
    labelNames: ["symbol"] as const,
    buckets: RPC_BUCKETS,
    registers,
  });
  const volume = counter("traded_volume_total", "Base quantity traded by our orders.", [
    "symbol",
    "side",
  ]);

  return {
    observe(about, event) {
      switch (event.type) {
        case "cycle":
          if (event.trigger === "fill" && event.fillReceivedAt !== undefined) {
            const ms = event.startedAt + event.durationMs - event.fillReceivedAt;
            fillReaction.observe({ symbol: about }, Math.max(0, ms) / 1000);
          }
          return;
        case "fill":
          fills.inc({ symbol: about, side: event.side });
          fillsBySource.inc({ symbol: about, source: event.via });
          volume.inc({ symbol: about, side: event.side }, amount(event.quantity));
          return;
      }
    },
  };
}
