import {
  connect,
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from "node:http2";

export interface StreamResetHop {
  /** `127.0.0.1:PORT`: dial this instead of the server. */
  readonly address: string;
  /** Rpc paths whose answers were thrown away so far. */
  readonly reset: string[];
  close(): Promise<void>;
}

/**
 * An HTTP/2 hop (as a proxy or load balancer on the way would be) in front of `target`:
 * it passes every call on, and for calls `shouldReset` picks it waits for the server's
 * whole answer (the call has taken effect) and then resets the client's stream with
 * `rstCode` instead of passing the answer back. Other calls get the answer as it came.
 */
export async function startStreamResetHop(
  target: string,
  shouldReset: (path: string) => boolean,
  rstCode: number = constants.NGHTTP2_PROTOCOL_ERROR,
): Promise<StreamResetHop> {
  const upstream = connect(`http://${target}`);
  upstream.on("error", () => {});
  const reset: string[] = [];
  const server: Http2Server = createServer();
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    const path = String(headers[":path"]);
    const request = upstream.request(forwardable(headers), { endStream: false });
    request.on("error", () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    stream.pipe(request);
    const body: Buffer[] = [];
    let responseHeaders: OutgoingHttpHeaders = {};
    request.on("response", (answer) => {
      responseHeaders = forwardable(answer);
    });
    request.on("data", (chunk: Buffer) => body.push(chunk));
    let trailers: OutgoingHttpHeaders | undefined;
    request.on("trailers", (received) => {
      trailers = forwardable(received);
    });
    // The server's whole answer is in (a trailers-only one for an error status).
    request.on("end", () => {
      if (shouldReset(path)) {
        reset.push(path);
        stream.close(rstCode);
        return;
      }
      if (trailers === undefined) {
        stream.respond(responseHeaders, { endStream: true });
        return;
      }
      const last = trailers;
      stream.respond(responseHeaders, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers(last));
      stream.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no hop address");
  return {
    address: `127.0.0.1:${address.port}`,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        upstream.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Headers to pass on: the pseudo-headers a request or answer needs, and the rest. */
function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name.startsWith(":") && ![":method", ":path", ":status"].includes(name)) continue;
    out[name] = value;
  }
  return out;
}
