import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import type { Control } from "../control/index.ts";
import {
  type AuditLine,
  type OpsMetrics,
  type OpsServer,
  type RunnerStatus,
  startOpsServer,
} from "../ops/index.ts";

/** The ops endpoint; quoting matters more than the dashboard, so a failure only warns. */
export async function startOps(
  config: RunnerConfig,
  metrics: OpsMetrics,
  getStatus: () => RunnerStatus,
  logger: Logger,
  control: Control,
): Promise<OpsServer | undefined> {
  try {
    const ops = await startOpsServer({
      address: config.metricsAddr,
      getStatus,
      registry: metrics.registry,
      allowedHosts: config.opsAllowedHosts,
      maxEventClients: config.opsMaxEventClients,
      onError: (error) => logger.warn({ err: error }, "ops endpoint error"),
      // The control API exists only with a token; every call writes one audit line.
      ...(config.controlToken === undefined
        ? {}
        : {
            control: {
              token: config.controlToken,
              runner: control,
              audit: (line) =>
                logger[line.outcome === "ok" ? "info" : "warn"](
                  { audit: line },
                  `control ${line.action}${line.symbol ? ` ${line.symbol}` : ""}: ${line.outcome}${auditReason(line)}${line.count === undefined ? "" : ` (${line.count} more from ${line.client})`}`,
                ),
            },
          }),
    });
    logger.info(
      { ops: ops.address, control: config.controlToken !== undefined },
      `ops endpoint on http://${ops.address} (/healthz /readyz /metrics /status, live page at /)${
        config.controlToken === undefined
          ? "; control API off (set CONTROL_TOKEN to turn it on)"
          : `; control API on at http://${ops.address}/control (Bearer CONTROL_TOKEN)`
      }`,
    );
    return ops;
  } catch (error) {
    logger.error(
      { err: error, metricsAddr: config.metricsAddr },
      "could not start the ops endpoint (METRICS_ADDR); running without it",
    );
    return undefined;
  }
}

/** Why a control call was refused, for its log line: the problems or the error it answered. */
function auditReason(line: AuditLine): string {
  if (line.outcome === "ok") return "";
  const detail = line.detail as { problems?: unknown; error?: unknown } | undefined;
  const reasons = Array.isArray(detail?.problems)
    ? detail.problems.map(String)
    : typeof detail?.error === "string"
      ? [detail.error]
      : [];
  return reasons.length === 0 ? "" : ` (${reasons.join("; ")})`;
}
