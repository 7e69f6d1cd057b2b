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

/** One server-side WebSocket, the same on every runtime. */
export interface ServerSocket {
  send(text: string): void;
  close(): void;
}

export interface WebSocketHandlers {
  open?(socket: ServerSocket, path: string): void;
  message(socket: ServerSocket, text: string, path: string): void;
}

export interface LocalWebSocketServer {
  /** `ws://127.0.0.1:PORT` (add the path). */
  readonly url: string;
  close(): Promise<void>;
}

interface DenoWs {
  upgradeWebSocket(request: Request): {
    socket: {
      send(text: string): void;
      close(): void;
      onopen: (() => void) | null;
      onmessage: ((event: { data: unknown }) => void) | null;
    };
    response: Response;
  };
}

interface BunWs {
  serve(options: {
    hostname: string;
    port: number;
    fetch(
      request: Request,
      server: { upgrade(request: Request, options: { data: unknown }): boolean },
    ): Response | undefined;
    websocket: {
      open(ws: { send(text: string): void; close(): void; data: { path: string } }): void;
      message(
        ws: { send(text: string): void; close(): void; data: { path: string } },
        message: string | Uint8Array,
      ): void;
    };
  }): { port: number; stop(force?: boolean): void | Promise<void> };
}

/**
 * A WebSocket server on 127.0.0.1 with the runtime's own means: `Deno.upgradeWebSocket`,
 * Bun's `websocket` handlers, or the `ws` package under Node.
 */
export async function serveWebSocket(handlers: WebSocketHandlers): Promise<LocalWebSocketServer> {
  const text = (data: unknown) =>
    typeof data === "string" ? data : new TextDecoder().decode(data as Uint8Array);
  if (runtime.Deno) {
    const deno = runtime.Deno as unknown as DenoLike & DenoWs;
    const server = deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
      const path = new URL(request.url).pathname;
      const { socket, response } = deno.upgradeWebSocket(request);
      socket.onopen = () => handlers.open?.(socket, path);
      socket.onmessage = (event) => handlers.message(socket, text(event.data), path);
      return response;
    });
    return { url: `ws://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
  }
  if (runtime.Bun) {
    const bun = runtime.Bun as unknown as BunWs;
    const server = bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(request, srv) {
        const path = new URL(request.url).pathname;
        if (srv.upgrade(request, { data: { path } })) return undefined;
        return new Response("upgrade expected", { status: 400 });
      },
      websocket: {
        open: (ws) => handlers.open?.(ws, ws.data.path),
        message: (ws, message) => handlers.message(ws, text(message), ws.data.path),
      },
    });
    return {
      url: `ws://127.0.0.1:${server.port}`,
      close: async () => {
        await server.stop(true);
      },
    };
  }
  const { WebSocketServer } = await import("ws");
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (ws, request) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    handlers.open?.(ws, path);
    ws.on("message", (data) => handlers.message(ws, data.toString(), path));
  });
  const address = wss.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
