import { type Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { Registry } from "prom-client";
import { clip } from "../control/http/clip.ts";
import { type ControlOptions, controlRoutes } from "../control/http/routes.ts";
import { type GetStatus, type RunnerStatus, readinessOf } from "../status/runner-status.ts";
import { UPLOT_CSS, UPLOT_JS } from "./assets.ts";
import type { StatusHistory } from "./history.ts";
import { hostAllowed } from "./host-check.ts";
import { PAGE_CSS, PAGE_JS, STATUS_PAGE_CSP, STATUS_PAGE_HTML } from "./status-page.ts";

export interface OpsAppDeps {
  readonly getStatus: GetStatus;
  readonly registry: Registry;
  /** How often `/events` pushes a snapshot to each listener. Default 1000 ms. */
  readonly pushIntervalMs?: number;
  /** Told about failures of `getStatus` or the registry; the endpoint answers 500/503 meanwhile. */
  readonly onError?: (error: Error) => void;
  /** The charts' memory (`GET /history`); absent: the page charts only what it saw itself. */
  readonly history?: StatusHistory;
  /** The control API under `/control`; absent (no `CONTROL_TOKEN`): every control path is 404. */
  readonly control?: ControlOptions;
  /** Who is calling (for the audit line). The Node server passes the socket's address. */
  readonly clientAddress?: (c: Context) => string;
  /** Aborted when the server closes: open event streams end. */
  readonly signal?: AbortSignal;
  /**
   * OPS_ALLOWED_HOSTS: with it, a request whose Host is not an IP address, `localhost` or
   * one of these names is answered 421 (DNS rebinding). Absent: no check (app.fetch tests).
   */
  readonly allowedHosts?: readonly string[];
  /** OPS_MAX_EVENT_CLIENTS: `/events` streams open at once; one more is answered 503. Default 32. */
  readonly maxEventClients?: number;
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

const READ_ONLY = new Set(["GET", "HEAD"]);

/**
 * The runner's operations endpoint as a `(Request) => Response` app: `/healthz`, `/readyz`,
 * `/metrics`, `/status`, `/events`, `/history`, the live page at `/` and, when a control
 * token is configured, `/control/*`. Tested through `app.fetch` without sockets.
 */
export function createOpsApp(deps: OpsAppDeps): Hono {
  const { getStatus, registry } = deps;
  const pushIntervalMs = deps.pushIntervalMs ?? 1000;
  const report = (error: unknown): void => {
    deps.onError?.(error instanceof Error ? error : new Error(String(error)));
  };
  const app = new Hono();
  const maxEventClients = deps.maxEventClients ?? 32;
  let eventClients = 0;

  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(COMMON_HEADERS)) c.res.headers.set(name, value);
  });

  // A page on another site can point its own DNS name at this address (DNS rebinding) and
  // read what it serves as same-origin; its requests still carry that name as Host.
  const allowedHosts = deps.allowedHosts;
  if (allowedHosts !== undefined) {
    app.use("*", async (c, next) => {
      const host = c.req.header("host") ?? new URL(c.req.url).host;
      if (hostAllowed(host, allowedHosts)) return next();
      return c.text(
        `host not allowed: ${clip(host)} (use an IP address or localhost, or add the name to OPS_ALLOWED_HOSTS)\n`,
        421,
      );
    });
  }

  // The read-only side answers GET and HEAD only; the control side has its own methods.
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/control/") || READ_ONLY.has(c.req.method)) return next();
    if (!READ_ONLY_PATHS.has(c.req.path)) return next();
    return c.text("only GET and HEAD\n", 405, { allow: "GET, HEAD" });
  });

  const json = (c: Context, status: number, value: unknown): Response =>
    c.body(`${JSON.stringify(value, null, 2)}\n`, status as 200, {
      "content-type": "application/json; charset=utf-8",
    });

  // Alive means this event loop answers; readiness is /readyz's business.
  app.get("/healthz", (c) => c.text("ok\n"));

  app.get("/readyz", async (c) => {
    let status: RunnerStatus;
    try {
      status = await getStatus();
    } catch (error) {
      report(error);
      return json(c, 503, {
        ready: false,
        reasons: [`status unavailable: ${(error as Error).message}`],
        symbols: {},
      });
    }
    const readiness = readinessOf(status);
    return json(c, readiness.ready ? 200 : 503, readiness);
  });

  app.get("/metrics", async (c) =>
    c.body(await registry.metrics(), 200, { "content-type": registry.contentType }),
  );

  app.get("/status", async (c) => json(c, 200, await getStatus()));

  app.get("/history", (c) => {
    const symbol = c.req.query("symbol");
    return json(c, 200, deps.history?.read(symbol) ?? {});
  });

  app.get("/history/memory", (c) =>
    json(
      c,
      200,
      deps.history?.readMemory() ?? { t: [], rss: [], mainHeap: [], workersHeap: [], external: [] },
    ),
  );

  const page = (c: Context) =>
    c.body(STATUS_PAGE_HTML, 200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": STATUS_PAGE_CSP,
      "referrer-policy": "no-referrer",
    });
  app.get("/", page);
  app.get("/index.html", page);
  // Browsers ask for it; an empty answer keeps their console (and the page test) clean.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  // The chart library, bundled from node_modules: the page loads nothing from elsewhere.
  app.get("/assets/uplot.js", (c) =>
    c.body(UPLOT_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/assets/page.js", (c) =>
    c.body(PAGE_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/assets/page.css", (c) =>
    c.body(PAGE_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  app.get("/assets/uplot.css", (c) =>
    c.body(UPLOT_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );

  app.get("/events", (c) => {
    c.header("x-accel-buffering", "no"); // nginx-style proxies must not buffer the stream
    if (c.req.method === "HEAD") {
      return c.body(null, 200, { "content-type": "text/event-stream; charset=utf-8" });
    }
    if (eventClients >= maxEventClients) {
      return c.text(
        `too many live pages open (${maxEventClients}, OPS_MAX_EVENT_CLIENTS); try again later\n`,
        503,
        { "retry-after": "5" },
      );
    }
    eventClients++;
    let counted = true;
    const release = () => {
      if (counted) eventClients--;
      counted = false;
    };
    return streamSSE(c, async (stream) => {
      const closed = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        if (deps.signal?.aborted) resolve();
        deps.signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      await stream.write("retry: 2000\n\n");
      let busy = false;
      const push = async (): Promise<void> => {
        if (busy || stream.aborted || stream.closed) return;
        busy = true;
        try {
          const status = await getStatus();
          if (!stream.aborted) await stream.writeSSE({ data: JSON.stringify(status) });
        } catch (error) {
          report(error);
          // A comment keeps the stream open; the page shows the last good snapshot.
          if (!stream.aborted) await stream.write(": status unavailable\n\n");
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void push(), pushIntervalMs);
      try {
        await push();
        await closed;
      } finally {
        clearInterval(timer);
        release();
      }
    });
  });

  if (deps.control !== undefined) {
    app.route(
      "/control",
      controlRoutes(deps.control, deps.clientAddress ?? (() => "unknown"), report, {
        registry,
        ...(deps.signal ? { signal: deps.signal } : {}),
      }),
    );
  }

  app.notFound((c) => c.text(`not found: ${clip(c.req.path)}\n`, 404));
  app.onError((error, c) => {
    report(error);
    return c.text(`error: ${clip(error.message, 200)}\n`, 500);
  });
  return app;
}

const READ_ONLY_PATHS = new Set([
  "/",
  "/index.html",
  "/healthz",
  "/readyz",
  "/metrics",
  "/status",
  "/events",
  "/history",
  "/history/memory",
  "/assets/uplot.js",
  "/assets/uplot.css",
  "/assets/page.js",
  "/assets/page.css",
  "/favicon.ico",
]);
