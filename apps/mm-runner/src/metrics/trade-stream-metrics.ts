import { Gauge } from "prom-client";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

/** The venue's trade stream our fills come from: up or down, lag, offsets, garbage, outages. */
export function tradeStreamMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus } = context;
  const gauge = (name: string, help: string) =>
    new Gauge({ name: `${prefix}${name}`, help, registers, ...fromStatus });
  const up = gauge(
    "fill_stream_up",
    "1 while the trade stream delivers fills, 0 while polls stand in (always with FILL_FEED=poll) or the status cannot be read.",
  );
  const lag = gauge(
    "fill_stream_lag_messages",
    "Messages on the trade topic not read yet (consumer lag).",
  );
  const lastOffset = new Gauge({
    name: `${prefix}fill_stream_last_offset`,
    help: "The last offset of the trade topic read, by partition.",
    labelNames: ["partition"] as const,
    registers,
    ...fromStatus,
  });
  const garbage = gauge(
    "fill_stream_garbage_messages",
    "Messages on the trade topic that were not DoneMessages we could read, since start (skipped).",
  );
  const outages = gauge(
    "fill_stream_outages",
    "Times the trade stream went down since start (polls stood in).",
  );
  return {
    // From the scrape's one status snapshot, like every other gauge: a status that cannot
    // be read resets them (0, the offsets absent) instead of failing the whole scrape.
    status: {
      gauges: [up, lag, lastOffset, garbage, outages],
      read({ fills }) {
        if (fills === undefined) return;
        for (const [partition, offset] of Object.entries(fills.lastOffset ?? {})) {
          lastOffset.set({ partition }, Number(offset));
        }
        if (fills.mode === "poll") return;
        up.set(fills.state === "live" ? 1 : 0);
        lag.set(fills.lag);
        garbage.set(fills.garbage);
        outages.set(fills.outages);
      },
    },
  };
}
