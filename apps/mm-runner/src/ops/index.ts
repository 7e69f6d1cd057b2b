/** The runner's operations side: health, readiness, Prometheus metrics, status and the live page. */
export { formatAddress, type ListenAddress, parseMetricsAddr } from "./address.ts";
export type { ObservedEvent, RpcEvent } from "./events.ts";
export { createOpsMetrics, type OpsMetrics, type OpsMetricsOptions } from "./metrics.ts";
export {
  DEFAULT_METRICS_ADDR,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from "./server.ts";
export {
  type GetStatus,
  type LadderOrder,
  type PriceStatus,
  type Readiness,
  type RunnerStatus,
  readinessOf,
  type StatusEvent,
  SYMBOL_STATES,
  type SymbolState,
  type SymbolStatus,
  type VenueStatus,
} from "./status.ts";
export { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from "./status-page.ts";
