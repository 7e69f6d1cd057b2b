/**
 * The WebSocket the streams use: the runtime's own (Bun, Deno, browsers, Node ≥ 22) when
 * there is one, else the `ws` package (Node 20 has none). Only the standard
 * `addEventListener`/`send`/`close` surface is used, which both provide; pings are
 * answered by either one at the protocol level.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: "close",
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

let cached: Promise<WebSocketConstructor> | undefined;

/** The runtime's WebSocket, or `ws` imported on first use. */
export function webSocketConstructor(): Promise<WebSocketConstructor> {
  cached ??= (async () => {
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (global) return global;
    // A variable specifier: runtimes with a global WebSocket never resolve `ws`.
    const specifier = "ws";
    const module = (await import(specifier)) as {
      WebSocket?: WebSocketConstructor;
      default?: WebSocketConstructor;
    };
    const found = module.WebSocket ?? module.default;
    if (!found) throw new Error("no WebSocket: the runtime has none and `ws` could not be loaded");
    return found;
  })();
  return cached;
}

/** The text of a message event, whichever runtime delivered it. */
export function messageText(data: unknown): string | undefined {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return undefined;
}
