import { collectDefaultMetrics, Registry } from "prom-client";
import type { GetStatus } from "../status/runner-status.ts";
import { fillMetrics } from "./fill-metrics.ts";
import { heapMetrics } from "./heap-metrics.ts";
import { familyContext } from "./metric-family.ts";
import type { ObservedEvent } from "./observed-events.ts";
import { positionMetrics } from "./position-metrics.ts";
import { priceFeedMetrics } from "./price-feed-metrics.ts";
import { priceMetrics } from "./price-metrics.ts";
import { quotingMetrics } from "./quoting-metrics.ts";
import { runnerHealthMetrics } from "./runner-health-metrics.ts";
import { statusSnapshot } from "./status-snapshot.ts";
import { tradeStreamMetrics } from "./trade-stream-metrics.ts";
import { venueMetrics } from "./venue-metrics.ts";

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

/**
 * The runner's metrics on their own registry: one family a module (each registers its
 * metrics, counts the events it cares about and reads its part of the status), composed
 * here in the order `/metrics` lists them, after Node's process metrics.
 */
export function createOpsMetrics(options: OpsMetricsOptions = {}): OpsMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? "mm_";
  const getStatus = options.getStatus;
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const snapshot = statusSnapshot(getStatus, options.now ?? Date.now);
  const context = familyContext({
    registry,
    prefix,
    fromStatus: snapshot.fromStatus,
  });
  const families = [
    quotingMetrics(context),
    venueMetrics(context),
    fillMetrics(context),
    tradeStreamMetrics(context),
    positionMetrics(context),
    priceMetrics(context),
    priceFeedMetrics(context),
    runnerHealthMetrics(context),
    heapMetrics(context),
  ];
  const observers = families.flatMap((family) => family.observe ?? []);
  for (const family of families) if (family.status !== undefined) snapshot.add(family.status);

  function observe(symbol: string | undefined, event: ObservedEvent): void {
    // Chain events name their symbol; a source-wide failure has none.
    const about = ("symbol" in event ? event.symbol : undefined) ?? symbol ?? "*";
    for (const count of observers) count(about, event);
  }

  return { registry, observe };
}
