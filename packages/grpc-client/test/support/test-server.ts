import type { ServerCredentials } from "@grpc/grpc-js";
import { createServer, type Server } from "nice-grpc";
import {
  OrderBookServiceDefinition,
  type OrderBookServiceImplementation,
} from "../../src/gen/orderbook.ts";

export interface TestServer {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A real gRPC server on 127.0.0.1 (port 0 = a free one) serving `implementation`. */
export async function startTestServer(
  implementation: OrderBookServiceImplementation,
  port = 0,
  credentials?: ServerCredentials,
): Promise<TestServer> {
  const server: Server = createServer();
  server.add(OrderBookServiceDefinition, implementation);
  const boundPort = await server.listen(`127.0.0.1:${port}`, credentials);
  return {
    address: `127.0.0.1:${boundPort}`,
    port: boundPort,
    // Like a venue process dying: open connections are cut, not drained.
    close: async () => server.forceShutdown(),
  };
}

/** Repeats `attempt` until it resolves, or rethrows its last error after `timeoutMs`. */
export async function waitFor<T>(
  attempt: () => Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
