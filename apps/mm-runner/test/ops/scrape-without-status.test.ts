import { expect, it } from "vitest";
import { createOpsMetrics } from "../../src/ops/index.ts";
import { runnerStatus, symbolStatus } from "./fake-status.ts";
import { sample } from "./scrape.ts";

it("a scrape whose status cannot be read still answers: counters and process metrics, mm_ready 0, the status gauges reset", async () => {
  let broken = false;
  const status = {
    ...runnerStatus([symbolStatus("BTC-USDT", "50000.00")]),
    fills: {
      mode: "kafka",
      state: "live",
      since: 1,
      topic: "trades",
      lastOffset: { "0": "41" },
      lag: 2,
      garbage: 1,
      pending: 0,
      outages: 3,
    },
  } as ReturnType<typeof runnerStatus>;
  const metrics = createOpsMetrics({
    getStatus: () => {
      if (broken) throw new Error("the supervisor is gone");
      return status;
    },
  });
  metrics.observe("BTC-USDT", {
    type: "order-placed",
    order: {
      book: "BTC-USDT",
      orderId: "mm-01-buy-1-1",
      side: "buy",
      price: "49950.00",
      quantity: "0.01",
    },
    level: 1,
    status: "resting",
  } as unknown as Parameters<typeof metrics.observe>[1]);
  const healthy = await metrics.registry.metrics();
  expect(sample(healthy, "mm_fill_stream_up")).toBe(1);
  expect(sample(healthy, "mm_fill_stream_lag_messages")).toBe(2);
  expect(sample(healthy, "mm_fill_stream_last_offset", { partition: "0" })).toBe(41);
  expect(sample(healthy, "mm_fill_stream_outages")).toBe(3);

  broken = true;
  const text = await metrics.registry.metrics();
  expect(sample(text, "mm_ready")).toBe(0);
  expect(sample(text, "mm_orders_placed_total", { symbol: "BTC-USDT", side: "buy" })).toBe(1);
  expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  // Read from the status: reset at this scrape rather than stale.
  expect(sample(text, "mm_position", { symbol: "BTC-USDT" })).toBeUndefined();
  expect(sample(text, "mm_fill_stream_up")).toBe(0);
  expect(sample(text, "mm_fill_stream_last_offset", { partition: "0" })).toBeUndefined();
});
