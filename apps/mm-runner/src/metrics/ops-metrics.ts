import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { MemoryStatus } from "../status/memory.ts";
import {
  type GetStatus,
  RISK_STATES,
  type RunnerStatus,
  readinessOf,
  SYMBOL_STATES,
} from "../status/runner-status.ts";
import type { HeapFigures } from "../workers/wire/heap.ts";
import { errorKind, type ObservedEvent } from "./observed-events.ts";

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
  /**
   * Counts one event: core's market-maker events and the gRPC attempts of a symbol's worker,
   * and the price chain's events. The symbol label is the event's own `symbol` when it has
   * one, else `symbol`, else `*` (a failure of a whole source request).
   */
  observe(symbol: string | undefined, event: ObservedEvent): void;
}

const CYCLE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

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

  const counter = (name: string, help: string, labelNames: readonly string[]) =>
    new Counter({ name: `${prefix}${name}`, help, labelNames, registers });

  const cycles = counter(
    "cycles_total",
    "Quoting cycles, by outcome: quoted, price-error, ladder-error, pulled, venue-error, aborted.",
    ["symbol", "outcome"],
  );
  const cycleDuration = new Histogram({
    name: `${prefix}cycle_duration_seconds`,
    help: "Time from asking for the price to the last order call of a cycle.",
    labelNames: ["symbol"] as const,
    buckets: CYCLE_BUCKETS,
    registers,
  });
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
  const fillStream = () =>
    options.getStatus && Promise.resolve(options.getStatus()).then((s) => s.fills);
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
  const volume = counter("traded_volume_total", "Base quantity traded by our orders.", [
    "symbol",
    "side",
  ]);
  const priceErrors = counter(
    "price_errors_total",
    "Cycles without a usable price, by PriceError kind (nothing new was placed on them).",
    ["symbol", "kind"],
  );
  const sourceFailures = counter(
    "price_source_failures_total",
    'Failures of a price source, by PriceError kind (symbol="*": the whole request failed).',
    ["symbol", "source", "kind"],
  );
  const failovers = counter(
    "price_failovers_total",
    "A symbol moved down the source chain (from the failed source to the next).",
    ["symbol", "from", "to"],
  );
  const failbacks = counter(
    "price_failbacks_total",
    "A symbol moved back up the chain to a preferred source.",
    ["symbol", "from", "to"],
  );
  const allSourcesFailed = counter(
    "price_all_sources_failed_total",
    "Rounds in which no source gave a usable price for the symbol.",
    ["symbol"],
  );
  const jumps = counter(
    "price_jumps_total",
    "Price jumps beyond the guard, by outcome (confirmed by a second source, or rejected).",
    ["symbol", "outcome"],
  );
  const quotesPulled = counter(
    "quotes_pulled_total",
    "Times every quote of a symbol was withdrawn for want of a fresh or trusted price.",
    ["symbol"],
  );
  const priceUntrusted = counter(
    "price_untrusted_total",
    "Rounds whose price was not trusted, by reason (unconfirmed first price, disagree, out-of-band, jump).",
    ["symbol", "reason"],
  );
  const priceTrustedBy = counter(
    "price_trust_earned_total",
    "Times a price earned trust after not having it, by how (agreed, held, jump-accepted).",
    ["symbol", "how"],
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
  const errors = counter("errors_total", "Errors outside order steps, by stage.", [
    "symbol",
    "stage",
  ]);

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
              for (const gauge of snapshotGauges) gauge.reset();
              let status: RunnerStatus;
              try {
                status = await getStatus();
              } catch {
                // The scrape still answers (process metrics, counters); /readyz says why.
                ready.set(0);
                return;
              }
              const at = now();
              ready.set(readinessOf(status).ready ? 1 : 0);
              if (status.memory !== undefined) setHeaps(status.memory);
              for (const s of status.symbols) {
                const symbol = s.symbol;
                liveOrders.set({ symbol, side: "buy" }, s.bids.length);
                liveOrders.set({ symbol, side: "sell" }, s.asks.length);
                position.set({ symbol }, amount(s.position));
                if (s.risk !== undefined) {
                  pnlRealized.set({ symbol }, amount(s.risk.realized));
                  if (s.risk.unrealized !== undefined) {
                    pnlUnrealized.set({ symbol }, amount(s.risk.unrealized));
                  }
                  if (s.risk.maxPosition !== undefined) {
                    maxPosition.set({ symbol }, amount(s.risk.maxPosition));
                  }
                  for (const each of RISK_STATES) {
                    riskState.set({ symbol, state: each }, each === s.risk.state ? 1 : 0);
                  }
                }
                workerRestarts.inc({ symbol }, s.workerRestarts);
                for (const each of SYMBOL_STATES) {
                  state.set({ symbol, state: each }, each === s.state ? 1 : 0);
                }
                if (s.lastCycleAt !== undefined) lastCycle.set({ symbol }, s.lastCycleAt / 1000);
                if (s.price !== undefined) {
                  price.set({ symbol }, amount(s.price.value));
                  priceSource.set({ symbol, source: s.price.source }, 1);
                  priceAge.set({ symbol }, Math.max(0, (at - s.price.receivedAt) / 1000));
                }
                if (s.feed?.trust !== undefined) {
                  priceTrusted.set({ symbol }, s.feed.trust.trusted ? 1 : 0);
                }
                if (s.feed !== undefined) {
                  feedInfo.set({ symbol, source: s.feed.source ?? "", via: s.feed.via }, 1);
                  streamReconnects.inc({ symbol }, s.feed.reconnects);
                  streamGaps.inc({ symbol }, s.feed.gaps);
                  feedChanges.inc({ symbol }, s.feed.failovers);
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
  const maxPosition = new Gauge({
    name: `${prefix}max_position`,
    help: "MAX_POSITION: the limit on |position|, base units (absent when none is set).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const pnlRealized = new Gauge({
    name: `${prefix}pnl_realized`,
    help: "Realized P&L by average cost, fees included, quote units (restored from the ledger at start).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const pnlUnrealized = new Gauge({
    name: `${prefix}pnl_unrealized`,
    help: "Unrealized P&L of the open position marked at the reference price, quote units.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const riskState = new Gauge({
    name: `${prefix}risk_state`,
    help: "1 for the risk state of each symbol: ok, limited (the position limit trims a side), halted (the loss kill switch pulled the quotes).",
    labelNames: ["symbol", "state"] as const,
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
    help: "1 for the state each symbol is in (starting, quoting, degraded, pulled, paused, halted, stopped, crashed).",
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
  // A counter the supervisor keeps: restated from its number at every scrape.
  const workerRestarts = new Counter({
    name: `${prefix}worker_restarts_total`,
    help: "Times the supervisor restarted each symbol's worker thread since the runner started.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
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
  const priceTrusted = new Gauge({
    name: `${prefix}price_trusted`,
    help: "1 when the symbol's price is trusted to quote on, 0 while it is not (the reason in /status: feed.trust).",
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

  // Each isolate's heap: the main thread's read at the scrape, each worker's as it last
  // reported it (issue 26). One series per thread: bounded by the configured symbols.
  const heapGauge = (name: string, help: string) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ["thread", "symbol"] as const,
      registers,
      ...fromStatus,
    });
  const heapUsed = heapGauge(
    "heap_used_bytes",
    'V8 heap in use, by thread: thread="main", or thread="worker" with its symbol.',
  );
  const heapTotal = heapGauge(
    "heap_total_bytes",
    'V8 heap reserved, by thread: thread="main", or thread="worker" with its symbol.',
  );
  const heapExternal = heapGauge(
    "heap_external_bytes",
    "Memory of C++ objects bound to the thread's JS objects (buffers, sockets), by thread.",
  );
  const heapLive = heapGauge(
    "heap_live_bytes",
    "V8 heap in use just after the thread's last full collection (its live set: what a leak moves), by thread.",
  );
  const setHeaps = (memory: MemoryStatus): void => {
    const set = (labels: { thread: string; symbol?: string }, heap: HeapFigures) => {
      heapUsed.set(labels, heap.used);
      heapTotal.set(labels, heap.total);
      heapExternal.set(labels, heap.external);
      if (heap.afterGc !== undefined) heapLive.set(labels, heap.afterGc);
    };
    set({ thread: "main" }, memory.main);
    for (const [symbol, heap] of Object.entries(memory.workers)) {
      set({ thread: "worker", symbol }, heap);
    }
  };

  const snapshotGauges = [
    heapUsed,
    heapTotal,
    heapExternal,
    heapLive,
    liveOrders,
    position,
    maxPosition,
    pnlRealized,
    pnlUnrealized,
    riskState,
    price,
    priceSource,
    priceAge,
    state,
    lastCycle,
    workerRestarts,
    feedInfo,
    streamReconnects,
    streamGaps,
    feedChanges,
    priceTrusted,
  ];

  function observe(symbol: string | undefined, event: ObservedEvent): void {
    // Chain events name their symbol; a source-wide failure has none.
    const about = ("symbol" in event ? event.symbol : undefined) ?? symbol ?? "*";
    switch (event.type) {
      case "cycle":
        cycles.inc({ symbol: about, outcome: event.outcome });
        cycleDuration.observe({ symbol: about }, event.durationMs / 1000);
        if (event.trigger === "fill" && event.fillReceivedAt !== undefined) {
          const ms = event.startedAt + event.durationMs - event.fillReceivedAt;
          fillReaction.observe({ symbol: about }, Math.max(0, ms) / 1000);
        }
        return;
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
      case "fill":
        fills.inc({ symbol: about, side: event.side });
        fillsBySource.inc({ symbol: about, source: event.via });
        volume.inc({ symbol: about, side: event.side }, amount(event.quantity));
        return;
      case "price-error":
        priceErrors.inc({ symbol: about, kind: errorKind(event.error) });
        return;
      case "source-failed":
        sourceFailures.inc({ symbol: about, source: event.source, kind: errorKind(event.error) });
        return;
      case "failover":
        failovers.inc({ symbol: about, from: event.from, to: event.to });
        return;
      case "failback":
        failbacks.inc({ symbol: about, from: event.from, to: event.to });
        return;
      case "all-sources-failed":
        allSourcesFailed.inc({ symbol: about });
        return;
      case "jump-confirmed":
        jumps.inc({ symbol: about, outcome: "confirmed" });
        return;
      case "jump-rejected":
        jumps.inc({ symbol: about, outcome: "rejected" });
        return;
      case "quotes-pulled":
        quotesPulled.inc({ symbol: about });
        return;
      case "price-untrusted":
        priceUntrusted.inc({ symbol: about, reason: event.reason });
        return;
      case "price-trusted":
        priceTrustedBy.inc({ symbol: about, how: event.how });
        return;
      case "venue-state":
        if (event.state === "lost") venueLost.inc({ symbol: about });
        return;
      case "venue-reset":
        venueResets.inc({ symbol: about, reason: event.reason });
        return;
      case "error":
        errors.inc({ symbol: about, stage: event.stage });
        return;
    }
  }

  return { registry, observe };
}
