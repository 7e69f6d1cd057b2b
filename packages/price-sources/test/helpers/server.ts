import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  /** Path and raw query exactly as sent, e.g. `/api/v3/ticker/price?symbol=BTCUSDT`. */
  readonly url: string;
  readonly path: string;
  /** The raw query without `?`, not decoded. */
  readonly query: string;
  readonly headers: IncomingMessage["headers"];
}

export type Reply =
  | {
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** A string is sent as is; anything else as JSON. */
      readonly body?: unknown;
    }
  /** Never answer (until the server closes). */
  | "hang"
  /** Send headers and half a body, then cut the connection. */
  | "cut";

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the handler. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers via `handler`. */
export async function startServer(handler: Handler = () => ({ status: 404 })): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const mark = url.indexOf("?");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url,
      path: mark === -1 ? url : url.slice(0, mark),
      query: mark === -1 ? "" : url.slice(mark + 1),
      headers: req.headers,
    };
    requests.push(recorded);
    void Promise.resolve(current(recorded)).then((reply) => send(res, reply));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === "hang") return;
  if (reply === "cut") {
    res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
    res.write('{"symbol":"BTCUSDT","pri');
    setTimeout(() => res.destroy(), 5);
    return;
  }
  const body =
    reply.body === undefined
      ? ""
      : typeof reply.body === "string"
        ? reply.body
        : JSON.stringify(reply.body);
  const isJson = typeof reply.body !== "string" && reply.body !== undefined;
  res.writeHead(reply.status ?? 200, {
    "content-type": isJson ? "application/json" : "text/html; charset=utf-8",
    ...reply.headers,
  });
  res.end(body);
}

/** A port nothing listens on: a server that was started and closed. */
export async function closedPortUrl(): Promise<string> {
  const server = await startServer();
  const url = server.url;
  await server.close();
  return url;
}
