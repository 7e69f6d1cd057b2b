/**
 * The fault proxy is a model of a network path, so it must never do what TCP never does:
 * deliver bytes out of order. (It once did: one timer per chunk let a later chunk overtake
 * an earlier one, the runner's HTTP/2 streams came out garbled, and the venue reset them.)
 */
import { once } from "node:events";
import { createConnection, createServer, type Server } from "node:net";
import { waitFor } from "@matchingo-mm/testkit";
import { afterEach, expect, it } from "vitest";
import { startTcpFaultProxy, type TcpFaultProxy, type WireMode } from "./harness/tcp-proxy.ts";

let server: Server | undefined;
let proxy: TcpFaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  server?.close();
});

/** A sink on 127.0.0.1 and the proxy in front of it; answers what the sink has read. */
async function sinkBehindProxy(): Promise<() => string> {
  let received = "";
  server = createServer((socket) => socket.on("data", (chunk) => (received += chunk)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no sink address");
  proxy = await startTcpFaultProxy(`127.0.0.1:${address.port}`);
  return () => received;
}

/** Busy for up to `ms`: a loaded event loop between two writes. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // deliberately busy
  }
}

it.each<[string, WireMode]>([
  ["slow with loss", { kind: "slow", latencyMs: 20, lossRate: 0.2, retransmitMs: 40 }],
  ["pass", { kind: "pass" }],
])("%s: every byte arrives, in the order it was sent", async (_name, mode) => {
  const received = await sinkBehindProxy();
  proxy!.setMode(mode);
  const [host, port] = proxy!.address.split(":");
  const socket = createConnection({ host: host!, port: Number(port) });
  socket.setNoDelay(true);
  await once(socket, "connect");
  let sent = "";
  for (let i = 0; i < 400; i++) {
    socket.write(`<${i}>`);
    sent += `<${i}>`;
    // Writes land in different turns of the event loop, some of them late in a busy one.
    busy(Math.random() * 2);
    if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await waitFor(() => received().length >= sent.length, 20_000, "every byte through the proxy");
  socket.destroy();
  expect(received()).toBe(sent);
});
