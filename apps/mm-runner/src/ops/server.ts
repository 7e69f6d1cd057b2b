import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { formatAddress, parseMetricsAddr } from "./address.ts";
import { type GetStatus, type RunnerStatus, readinessOf } from "./status.ts";
import { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from "./status-page.ts";

export interface OpsServerOptions {
  /** host:port; port 0 picks a free one. Default `127.0.0.1:9464`: never all interfaces unless asked. */
  readonly address?: string;
  readonly getStatus: GetStatus;
  readonly registry: Registry;
  /** How often `/events` pushes a snapshot to each listener. Default 1000 ms. */
  readonly pushIntervalMs?: number;
  /** Told about failures of `getStatus` or the registry; the endpoint answers 500/503 meanwhile. */
  readonly onError?: (error: Error) => void;
}

export interface OpsServer {
  /** Where it actually listens, e.g. `127.0.0.1:40123` (port 0 resolved). */
  readonly address: string;
  /** Ends event streams and open connections, stops listening. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_METRICS_ADDR = "127.0.0.1:9464";

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

/**
 * The runner's operations endpoint: `/healthz`, `/readyz`, `/metrics`, `/status`, `/events`
 * and the live page at `/`. Read-only: it answers GET and HEAD and changes nothing.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const listen = parseMetricsAddr(options.address ?? DEFAULT_METRICS_ADDR, "address");
  if (listen === undefined) {
    throw new Error('address="off": the caller decides not to start the ops server');
  }
  const { getStatus, registry } = options;
  const pushIntervalMs = options.pushIntervalMs ?? 1000;
  const report = (error: unknown): void => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  };
  const streams = new Set<ServerResponse>();

  async function snapshot(): Promise<RunnerStatus> {
    return await getStatus();
  }

  function send(
    response: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    extra: Record<string, string> = {},
  ): void {
    response.writeHead(status, {
      ...COMMON_HEADERS,
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      ...extra,
    });
    response.end(response.req.method === "HEAD" ? undefined : body);
  }

  function json(response: ServerResponse, status: number, value: unknown): void {
    send(
      response,
      status,
      "application/json; charset=utf-8",
      `${JSON.stringify(value, null, 2)}\n`,
    );
  }

  async function healthz(response: ServerResponse): Promise<void> {
    // Alive means this event loop answers; readiness is /readyz's business.
    send(response, 200, "text/plain; charset=utf-8", "ok\n");
  }

  async function readyz(response: ServerResponse): Promise<void> {
    let status: RunnerStatus;
    try {
      status = await snapshot();
    } catch (error) {
      report(error);
      json(response, 503, {
        ready: false,
        reasons: [`status unavailable: ${(error as Error).message}`],
        symbols: {},
      });
      return;
    }
    const readiness = readinessOf(status);
    json(response, readiness.ready ? 200 : 503, readiness);
  }

  async function metrics(response: ServerResponse): Promise<void> {
    const body = await registry.metrics();
    send(response, 200, registry.contentType, body);
  }

  async function statusJson(response: ServerResponse): Promise<void> {
    json(response, 200, await snapshot());
  }

  async function page(response: ServerResponse): Promise<void> {
    send(response, 200, "text/html; charset=utf-8", STATUS_PAGE_HTML, {
      "content-security-policy": STATUS_PAGE_CSP,
      "referrer-policy": "no-referrer",
    });
  }

  async function events(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.writeHead(200, {
      ...COMMON_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      connection: "keep-alive",
      // Tell nginx-style proxies not to buffer the stream.
      "x-accel-buffering": "no",
    });
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    streams.add(response);
    response.write("retry: 2000\n\n");
    let busy = false;
    const push = async (): Promise<void> => {
      if (busy || response.writableEnded) return;
      busy = true;
      try {
        const status = await snapshot();
        if (!response.writableEnded) response.write(`data: ${JSON.stringify(status)}\n\n`);
      } catch (error) {
        report(error);
        // A comment keeps the stream open; the page shows the last good snapshot.
        if (!response.writableEnded) response.write(`: status unavailable\n\n`);
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(push, pushIntervalMs);
    const stop = (): void => {
      clearInterval(timer);
      streams.delete(response);
    };
    response.on("close", stop);
    await push();
  }

  type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  const routes: Record<string, Route> = {
    "/": (_, response) => page(response),
    "/index.html": (_, response) => page(response),
    "/healthz": (_, response) => healthz(response),
    "/readyz": (_, response) => readyz(response),
    "/metrics": (_, response) => metrics(response),
    "/status": (_, response) => statusJson(response),
    "/events": events,
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://ops.invalid").pathname;
    const route = routes[path];
    if (route === undefined) {
      send(response, 404, "text/plain; charset=utf-8", `not found: ${path}\n`);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(response, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", {
        allow: "GET, HEAD",
      });
      return;
    }
    route(request, response).catch((error: unknown) => {
      report(error);
      if (!response.headersSent) {
        send(response, 500, "text/plain; charset=utf-8", `error: ${(error as Error).message}\n`);
      } else {
        response.end();
      }
    });
  });
  // Probes and scrapers hold keep-alive sockets; do not let them keep the process up.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void =>
      reject(
        new Error(`ops server cannot listen on ${formatAddress(listen)}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once("error", failed);
    server.listen(listen.port, listen.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  server.on("error", report);
  const bound = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    address: formatAddress({ host: bound.address, port: bound.port }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        // Idle keep-alive sockets and half-finished requests must not hold shutdown up.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
