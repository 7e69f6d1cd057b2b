import {
  hostList,
  integerClients,
  logFormat,
  logLevel,
  metricsAddress,
  nonEmptyText,
  seconds,
} from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The ops server, logs and shutdown. */
export const OPS_SETTINGS = {
  metricsAddr: {
    schema: metricsAddress,
    env: "METRICS_ADDR",
    scope: "runner",
    default: "127.0.0.1:9464",
    help: "host:port of /healthz, /readyz, /metrics, /status; `off` disables it.",
  },
  controlToken: {
    schema: nonEmptyText,
    env: "CONTROL_TOKEN",
    scope: "runner",
    secret: true,
    help: "Bearer token of the ops server's control API (/control: pause, resume, cancel-all, live parameters). Not set: no control API. Prefer the environment to the flag (a flag shows in `ps`). At least 16 characters when METRICS_ADDR is not a loopback address (shorter: refused; on loopback: a warning).",
  },
  opsAllowedHosts: {
    schema: hostList,
    env: "OPS_ALLOWED_HOSTS",
    scope: "runner",
    help: "Host names the ops server answers to, besides IP addresses and `localhost` (e.g. `mm-1.internal,mm-1`). Any other `Host` header gets 421, so a web page that rebinds its DNS name to this address cannot read /status or /metrics.",
  },
  opsMaxEventClients: {
    schema: integerClients,
    env: "OPS_MAX_EVENT_CLIENTS",
    scope: "runner",
    default: "32",
    help: "Live pages (/events streams) open at once; one more gets 503 until one closes.",
  },
  logLevel: {
    schema: logLevel,
    env: "LOG_LEVEL",
    scope: "runner",
    default: "info",
    help: "trace, debug, info, warn, error, fatal or silent.",
  },
  logFormat: {
    schema: logFormat,
    env: "LOG_FORMAT",
    scope: "runner",
    help: "`json` or `pretty`. Not set: pretty on a terminal, JSON lines otherwise.",
  },
  shutdownTimeoutSeconds: {
    schema: seconds,
    env: "SHUTDOWN_TIMEOUT_SECONDS",
    scope: "runner",
    default: "10",
    help: "On SIGINT/SIGTERM: time to cancel every order and exit. A second signal forces exit.",
  },
} as const satisfies SettingTable;
