import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { OpsEvent } from "./events.ts";
import { type GetStatus, readinessOf, SYMBOL_STATES } from "./status.ts";

export interface OpsMetricsOptions {
  /**
   * The supervisor's snapshot. Gauges (live orders, position, price, source in use, price
   * age, state, worker restarts) are read from it at scrape time, so `/metrics`, `/status`
   * and the page never disagree.
   */
  readonly getStatus?: GetStatus;
  /** ms since the epoch; for the price age. */
  readonly now?: () => number;
  /** Node's process metrics (CPU, memory, event-loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
  /** Prepended to every metric name. Default `mm_`. */
  readonly prefix?: string;
}

export interface OpsMetrics {
  /** Its own registry, never prom-client's global one: two runners in one process do not mix. */
  readonly registry: Registry;
  /** Counts one event of one symbol (from its worker's market maker or price chain). */
  observe(symbol: string, event: OpsEvent): void;
}

const CYCLE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Display-only conversion of a decimal string; NaN never reaches a metric. */
function amount(value: string | number | undefined): number {
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : 0;
}

export function createOpsMetrics(options: OpsMetricsOptions = {}): OpsMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? "mm_";
  const now = options.now ?? Date.now;
  const getStatus = options.getStatus;
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  // ---------------------------------------------------------------- counted from events

  const cycles = new Counter({
    name: `${prefix}cycles_total`,
    help: "Quoting cycles run, by outcome (ok: the plan was carried out; failed: it was not).",
    labelNames: ["symbol", "outcome"] as const,
    registers,
  });
  const cycleDuration = new Histogram({
    name: `${prefix}cycle_duration_seconds`,
    help: "Time from fetching the price to the last order call of a cycle.",
    labelNames: ["symbol"] as const,
    buckets: CYCLE_BUCKETS,
    registers,
  });
  const rpcs = new Counter({
    name: `${prefix}rpc_total`,
    help: "Calls to the venue, by gRPC method and status code (OK on success).",
    labelNames: ["symbol", "method", "code"] as const,
    registers,
  });
  const ordersPlaced = new Counter({
    name: `${prefix}orders_placed_total`,
    help: "Orders the venue accepted.",
    labelNames: ["symbol", "side"] as const,
    registers,
  });
  const ordersCanceled = new Counter({
    name: `${prefix}orders_canceled_total`,
    help: "Orders we cancelled (including those already gone when we asked).",
    labelNames: ["symbol"] as const,
    registers,
  });
  const fills = new Counter({
    name: `${prefix}fills_total`,
    help: "Fills of our resting orders seen.",
    labelNames: ["symbol", "side"] as const,
    registers,
  });
  const volume = new Counter({
    name: `${prefix}traded_volume_total`,
    help: "Base quantity traded by our orders.",
    labelNames: ["symbol", "side"] as const,
    registers,
  });
  const sourceFailures = new Counter({
    name: `${prefix}price_source_failures_total`,
    help: "Failed or rejected price fetches, by source and PriceError kind.",
    labelNames: ["symbol", "source", "kind"] as const,
    registers,
  });
  const failovers = new Counter({
    name: `${prefix}price_failovers_total`,
    help: "Changes of the source that answers, from one source to another.",
    labelNames: ["symbol", "from", "to"] as const,
    registers,
  });
  const quotesPulled = new Counter({
    name: `${prefix}quotes_pulled_total`,
    help: "Times every quote of a symbol was withdrawn (no trustworthy price, venue lost, ...).",
    labelNames: ["symbol", "reason"] as const,
    registers,
  });

  // ---------------------------------------------------------------- read from the status

  // One status snapshot per scrape, shared by every gauge of that scrape (prom-client
  // calls each metric's collect in the same pass and awaits them together).
  let pending: Promise<void> | undefined;
  const refresh =
    getStatus === undefined
      ? undefined
      : (): Promise<void> => {
          pending ??= (async () => {
            try {
              const status = await getStatus();
              const at = now();
              for (const gauge of snapshotGauges) gauge.reset();
              ready.set(readinessOf(status).ready ? 1 : 0);
              for (const s of status.symbols) {
                const symbol = s.symbol;
                liveOrders.set({ symbol, side: "buy" }, s.bids.length);
                liveOrders.set({ symbol, side: "sell" }, s.asks.length);
                position.set({ symbol }, amount(s.position));
                workerRestarts.set({ symbol }, s.workerRestarts);
                for (const each of SYMBOL_STATES) {
                  state.set({ symbol, state: each }, each === s.state ? 1 : 0);
                }
                if (s.lastCycleAt !== undefined) lastCycle.set({ symbol }, s.lastCycleAt / 1000);
                if (s.price !== undefined) {
                  price.set({ symbol }, amount(s.price.value));
                  priceSource.set({ symbol, source: s.price.source }, 1);
                  priceAge.set({ symbol }, Math.max(0, (at - s.price.receivedAt) / 1000));
                }
              }
            } finally {
              queueMicrotask(() => {
                pending = undefined;
              });
            }
          })();
          return pending;
        };
  const fromStatus = refresh === undefined ? {} : { collect: refresh };

  // Gauges are rebuilt on every scrape so a label that no longer applies (the source we
  // left, a state we are no longer in) disappears instead of lingering at its last value.
  const liveOrders = new Gauge({
    name: `${prefix}live_orders`,
    help: "Our orders resting on the book, by side.",
    labelNames: ["symbol", "side"] as const,
    registers,
    ...fromStatus,
  });
  const position = new Gauge({
    name: `${prefix}position`,
    help: "Base quantity bought minus sold by our fills.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const price = new Gauge({
    name: `${prefix}price`,
    help: "The reference price in use (display value).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const priceSource = new Gauge({
    name: `${prefix}price_source`,
    help: "1 for the source the price in use came from (synthetic or replay: not a live market).",
    labelNames: ["symbol", "source"] as const,
    registers,
    ...fromStatus,
  });
  const priceAge = new Gauge({
    name: `${prefix}price_age_seconds`,
    help: "Seconds since the price in use was received.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const state = new Gauge({
    name: `${prefix}symbol_state`,
    help: "1 for the state each symbol is in (starting, quoting, degraded, pulled, stopped, crashed).",
    labelNames: ["symbol", "state"] as const,
    registers,
    ...fromStatus,
  });
  const lastCycle = new Gauge({
    name: `${prefix}last_cycle_timestamp_seconds`,
    help: "When the last cycle of each symbol ended, seconds since the epoch.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const workerRestarts = new Gauge({
    name: `${prefix}worker_restarts`,
    help: "Times the supervisor restarted each symbol's worker thread since the runner started.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const ready = new Gauge({
    name: `${prefix}ready`,
    help: "1 when every symbol is quoting (what /readyz answers 200 for), else 0.",
    registers,
    ...fromStatus,
  });

  const snapshotGauges = [
    liveOrders,
    position,
    price,
    priceSource,
    priceAge,
    state,
    lastCycle,
    workerRestarts,
  ];

  function observe(symbol: string, event: OpsEvent): void {
    switch (event.type) {
      case "cycle": {
        cycles.inc({ symbol, outcome: event.ok ? "ok" : "failed" });
        if (event.durationMs !== undefined) {
          cycleDuration.observe({ symbol }, event.durationMs / 1000);
        }
        return;
      }
      case "rpc":
        rpcs.inc({ symbol, method: event.method, code: event.code });
        return;
      case "order-placed":
        ordersPlaced.inc({ symbol, side: event.side });
        return;
      case "order-canceled":
        ordersCanceled.inc({ symbol });
        return;
      case "fill":
        fills.inc({ symbol, side: event.side });
        volume.inc({ symbol, side: event.side }, amount(event.quantity));
        return;
      case "source-failed":
        sourceFailures.inc({ symbol, source: event.source, kind: event.kind });
        return;
      case "failover":
        failovers.inc({ symbol, from: event.from, to: event.to });
        return;
      case "quotes-pulled":
        quotesPulled.inc({ symbol, reason: event.reason });
        return;
    }
  }

  return { registry, observe };
}
