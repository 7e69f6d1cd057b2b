/** The runner's ops server: health, readiness, Prometheus metrics, status, the live page, and the control API mounted from control/http. */

// The control API's options and audit lines, as the server takes them (`control`).
export type { AuditLine, ControlAction } from "../control/http/audit-line.ts";
export type { ControlOptions } from "../control/http/routes.ts";
export type { ObservedEvent, RpcEvent } from "../metrics/observed-events.ts";
export {
  createOpsMetrics,
  type OpsMetrics,
  type OpsMetricsOptions,
} from "../metrics/ops-metrics.ts";
export {
  type BookDepth,
  type DepthLevel,
  type FeedInfo,
  type FillMark,
  type GetStatus,
  type LadderOrder,
  type PriceStatus,
  type Readiness,
  RISK_STATES,
  type RiskState,
  type RiskStatus,
  type RunnerStatus,
  readinessOf,
  type StatusEvent,
  SYMBOL_STATES,
  type SymbolState,
  type SymbolStatus,
  type VenueStatus,
} from "../status/runner-status.ts";
export { formatAddress, type ListenAddress, parseMetricsAddr } from "./address.ts";
export { createOpsApp, type OpsAppDeps } from "./app.ts";
export {
  createStatusHistory,
  type StatusHistory,
  type StatusHistoryOptions,
  type SymbolHistory,
} from "./history.ts";
export {
  DEFAULT_METRICS_ADDR,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from "./server.ts";
export { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from "./status-page.ts";
