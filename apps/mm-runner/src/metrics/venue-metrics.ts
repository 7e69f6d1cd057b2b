import { Gauge, Histogram } from "prom-client";
import { type FamilyContext, type MetricFamily, RPC_BUCKETS } from "./metric-family.ts";
import { errorKind } from "./observed-events.ts";

/** Orders and the calls to the venue: gRPC attempts, orders placed, cancelled and failed. */
export function venueMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus, counter } = context;
  const rpcs = counter(
    "rpc_total",
    "gRPC attempts to the venue, by method and status code (OK on success; retries count).",
    ["symbol", "method", "code"],
  );
  const rpcDuration = new Histogram({
    name: `${prefix}rpc_duration_seconds`,
    help: "Duration of one gRPC attempt to the venue, by method.",
    labelNames: ["symbol", "method"] as const,
    buckets: RPC_BUCKETS,
    registers,
  });
  const ordersPlaced = counter("orders_placed_total", "Orders the venue accepted.", [
    "symbol",
    "side",
  ]);
  const ordersCanceled = counter(
    "orders_canceled_total",
    "Orders we cancelled, by outcome (canceled, or already-gone when the venue no longer held it).",
    ["symbol", "side", "outcome"],
  );
  const orderFailures = counter(
    "order_failures_total",
    "Order steps that failed, by action (place, cancel) and VenueError kind.",
    ["symbol", "action", "kind"],
  );
  const venueLost = counter(
    "venue_lost_total",
    "Times the venue became unreachable for a symbol's loop.",
    ["symbol"],
  );
  const venueResets = counter(
    "venue_resets_total",
    "Times the venue lost our book or re-created it (our orders there were forgotten).",
    ["symbol", "reason"],
  );
  const liveOrders = new Gauge({
    name: `${prefix}live_orders`,
    help: "Our orders resting on the book, by side.",
    labelNames: ["symbol", "side"] as const,
    registers,
    ...fromStatus,
  });

  return {
    observe(about, event) {
      switch (event.type) {
        case "rpc":
          rpcs.inc({ symbol: about, method: event.method, code: event.code });
          if (event.durationMs !== undefined) {
            rpcDuration.observe({ symbol: about, method: event.method }, event.durationMs / 1000);
          }
          return;
        case "order-placed":
          ordersPlaced.inc({ symbol: about, side: event.order.side });
          return;
        case "order-canceled":
          ordersCanceled.inc({ symbol: about, side: event.side, outcome: event.outcome });
          return;
        case "order-failed":
          orderFailures.inc({ symbol: about, action: event.action, kind: errorKind(event.error) });
          return;
        case "venue-state":
          if (event.state === "lost") venueLost.inc({ symbol: about });
          return;
        case "venue-reset":
          venueResets.inc({ symbol: about, reason: event.reason });
          return;
      }
    },
    status: {
      gauges: [liveOrders],
      read(status) {
        for (const s of status.symbols) {
          const symbol = s.symbol;
          liveOrders.set({ symbol, side: "buy" }, s.bids.length);
          liveOrders.set({ symbol, side: "sell" }, s.asks.length);
        }
      },
    },
  };
}
