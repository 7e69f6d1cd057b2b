import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { formatAddress, parseMetricsAddr } from "./address.ts";
import { createOpsApp, type OpsAppDeps } from "./app.ts";
import { createStatusHistory } from "./history.ts";

export interface OpsServerOptions extends Omit<OpsAppDeps, "clientAddress" | "signal" | "history"> {
  /** host:port; port 0 picks a free one. Default `127.0.0.1:9464`: never all interfaces unless asked. */
  readonly address?: string;
  /** How often the charts' history samples the status. Default 1000 ms. */
  readonly historyIntervalMs?: number;
  /** Samples kept per symbol for the charts. Default 600 (ten minutes at one a second). */
  readonly historySamples?: number;
}

export interface OpsServer {
  /** Where it actually listens, e.g. `127.0.0.1:40123` (port 0 resolved). */
  readonly address: string;
  /** Ends event streams and open connections, stops listening. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_METRICS_ADDR = "127.0.0.1:9464";

/** The ops app (`createOpsApp`) on a real socket, through hono's Node adapter. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const listen = parseMetricsAddr(options.address ?? DEFAULT_METRICS_ADDR, "address");
  if (listen === undefined) {
    throw new Error('address="off": the caller decides not to start the ops server');
  }
  const closing = new AbortController();
  const history = createStatusHistory({
    ...(options.historySamples === undefined ? {} : { samples: options.historySamples }),
  });
  // The history lives here, in the main thread, from the same snapshots /status serves: a
  // page opened now sees the last minutes, not only what arrives after it connected.
  const sample = async (): Promise<void> => {
    try {
      history.record(await options.getStatus());
    } catch {
      // /readyz and /status report an unavailable status; a gap in the chart is enough here.
    }
  };
  void sample();
  const sampler = setInterval(() => void sample(), options.historyIntervalMs ?? 1000);
  sampler.unref();
  const app = createOpsApp({
    ...options,
    // On a real socket the Host header is always checked (DNS rebinding; see host-check.ts).
    allowedHosts: options.allowedHosts ?? [],
    history,
    signal: closing.signal,
    clientAddress: (c) => {
      const remote = getConnInfo(c).remote;
      return remote.address === undefined ? "unknown" : `${remote.address}:${remote.port ?? ""}`;
    },
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Probes and scrapers hold keep-alive sockets; do not let them keep the process up.
  server.keepAliveTimeout = 5_000;
  const report = (error: Error): void => options.onError?.(error);

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

  let closed: Promise<void> | undefined;
  return {
    address: formatAddress({ host: bound.address, port: bound.port }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        clearInterval(sampler);
        server.close(() => resolve());
        // Idle keep-alive sockets, event streams and half-finished requests must not hold
        // shutdown up.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
