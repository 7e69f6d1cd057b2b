import { Gauge } from "prom-client";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

/** The venue's trade stream our fills come from: up or down, lag, offsets, garbage, outages. */
export function tradeStreamMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, getStatus } = context;
  const fillStream = () => getStatus && Promise.resolve(getStatus()).then((s) => s.fills);
  new Gauge({
    name: `${prefix}fill_stream_up`,
    help: "1 while the trade stream delivers fills, 0 while polls stand in (absent: FILL_FEED=poll).",
    registers,
    async collect() {
      const f = await fillStream();
      if (f && f.mode !== "poll") this.set(f.state === "live" ? 1 : 0);
    },
  });
  new Gauge({
    name: `${prefix}fill_stream_lag_messages`,
    help: "Messages on the trade topic not read yet (consumer lag).",
    registers,
    async collect() {
      const f = await fillStream();
      if (f && f.mode !== "poll") this.set(f.lag);
    },
  });
  new Gauge({
    name: `${prefix}fill_stream_last_offset`,
    help: "The last offset of the trade topic read, by partition.",
    labelNames: ["partition"] as const,
    registers,
    async collect() {
      const f = await fillStream();
      for (const [partition, offset] of Object.entries(f?.lastOffset ?? {})) {
        this.set({ partition }, Number(offset));
      }
    },
  });
  new Gauge({
    name: `${prefix}fill_stream_garbage_messages`,
    help: "Messages on the trade topic that were not DoneMessages we could read, since start (skipped).",
    registers,
    async collect() {
      const f = await fillStream();
      if (f && f.mode !== "poll") this.set(f.garbage);
    },
  });
  new Gauge({
    name: `${prefix}fill_stream_outages`,
    help: "Times the trade stream went down since start (polls stood in).",
    registers,
    async collect() {
      const f = await fillStream();
      if (f && f.mode !== "poll") this.set(f.outages);
    },
  });
  return {};
}
