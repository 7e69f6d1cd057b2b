/**
 * A tiny HTTP server on 127.0.0.1 for whichever runtime runs this script: `Deno.serve`,
 * `Bun.serve`, or `node:http`. Test infrastructure only; the package itself needs none.
 */

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface LocalServer {
  readonly url: string;
  readonly runtime: "deno" | "bun" | "node";
  close(): Promise<void>;
}

interface DenoLike {
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  exit(code: number): never;
}

interface BunLike {
  serve(options: { hostname: string; port: number; fetch: FetchHandler }): {
    port: number;
    stop(force?: boolean): void | Promise<void>;
  };
}

const runtime = globalThis as unknown as { Deno?: DenoLike; Bun?: BunLike };

export function runtimeName(): LocalServer["runtime"] {
  if (runtime.Deno) return "deno";
  if (runtime.Bun) return "bun";
  return "node";
}

export async function serve(handler: FetchHandler): Promise<LocalServer> {
  if (runtime.Deno) {
    const server = runtime.Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      handler,
    );
    return {
      url: `http://127.0.0.1:${server.addr.port}`,
      runtime: "deno",
      close: () => server.shutdown(),
    };
  }
  if (runtime.Bun) {
    const server = runtime.Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
    return {
      url: `http://127.0.0.1:${server.port}`,
      runtime: "bun",
      close: async () => {
        await server.stop(true);
      },
    };
  }
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers: Object.entries(req.headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]],
      ) as [string, string][],
    });
    void (async () => {
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime: "node",
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function exit(code: number): void {
  if (runtime.Deno) runtime.Deno.exit(code);
  const node = globalThis as unknown as { process?: { exitCode?: number } };
  if (node.process) node.process.exitCode = code;
}
