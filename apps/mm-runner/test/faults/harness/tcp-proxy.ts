import { createConnection, createServer, type Socket } from "node:net";

/**
 * What the wire between the runner and the venue does. `tc netem` is not available on
 * these machines (no netem qdisc in the kernel), so the faults are made by a TCP proxy on
 * 127.0.0.1 that the runner dials instead of the venue.
 *
 * - `pass`: bytes flow as they come.
 * - `black-hole`: nothing flows either way and nothing is reset (packets dropped, as by a
 *   dead link). Bytes are held, not thrown away: TCP would retransmit them once the link
 *   is back, and throwing them away would cut an HTTP/2 frame in half, which no network
 *   does. New connections are accepted but reach the venue only when the link heals.
 * - `slow`: every chunk waits `latencyMs`; a `lossRate` share of chunks is "lost" and
 *   arrives after a further retransmission timeout (`retransmitMs`), with every later chunk
 *   of that direction queued behind it (TCP's head-of-line blocking). Loss is modelled as
 *   that delay because dropping a chunk for real would corrupt the HTTP/2 stream, which
 *   TCP never lets happen.
 */
export type WireMode =
  | { readonly kind: "pass" }
  | { readonly kind: "black-hole" }
  | {
      readonly kind: "slow";
      readonly latencyMs: number;
      readonly lossRate: number;
      readonly retransmitMs: number;
    };

export interface TcpFaultProxy {
  /** `127.0.0.1:PORT`: give it to the runner as MATCHINGO_GRPC_ADDR. */
  readonly address: string;
  setMode(mode: WireMode): void;
  /** Resets (RST) every connection through the proxy now, both sides. */
  resetAll(): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

interface Direction {
  readonly to: Socket;
  /** When the last chunk queued in this direction is due (keeps chunks in order). */
  lastDue: number;
  /**
   * Chunks on their way, oldest first, delivered strictly in this order by one timer: a
   * timer per chunk would let a later chunk overtake an earlier one due at the same
   * moment (Node's timers start from the event loop's cached time, not the clock), and
   * TCP never reorders bytes.
   */
  readonly queue: { readonly chunk: Buffer; readonly due: number }[];
  timer?: NodeJS.Timeout;
  /** The sender closed its side: close this side once the queue has been delivered. */
  ending: boolean;
  /** Held while the link is a black hole. */
  held: Buffer[];
}

const newDirection = (to: Socket): Direction => ({
  to,
  lastDue: 0,
  queue: [],
  ending: false,
  held: [],
});

interface Pair {
  readonly client: Socket;
  upstream?: Socket;
  /** Client bytes that came before the upstream connection was made. */
  early: Buffer[];
  up?: Direction;
  down: Direction;
}

export async function startTcpFaultProxy(
  target: string,
  random = Math.random,
): Promise<TcpFaultProxy> {
  const [host, port] = splitAddress(target);
  let mode: WireMode = { kind: "pass" };
  const pairs = new Set<Pair>();
  let accepted = 0;

  const drain = (direction: Direction) => {
    direction.timer = undefined;
    const { queue, to } = direction;
    while (queue.length > 0 && queue[0]!.due <= Date.now()) {
      const { chunk } = queue.shift()!;
      if (!to.destroyed) to.write(chunk);
    }
    if (queue.length > 0) {
      direction.timer = setTimeout(() => drain(direction), queue[0]!.due - Date.now());
    } else if (direction.ending && !to.destroyed) to.end();
  };

  const send = (direction: Direction | undefined, chunk: Buffer, pair: Pair) => {
    if (!direction) {
      pair.early.push(chunk);
      return;
    }
    if (mode.kind === "black-hole") {
      direction.held.push(chunk);
      return;
    }
    const extra = mode.kind === "slow" && random() < mode.lossRate ? mode.retransmitMs : 0;
    const latency = mode.kind === "slow" ? mode.latencyMs : 0;
    const due = Math.max(direction.lastDue, Date.now() + latency + extra);
    direction.lastDue = due;
    direction.queue.push({ chunk, due });
    if (direction.timer === undefined) drain(direction);
  };

  /**
   * The other side closed: pass the close on behind the bytes still on their way (and
   * behind bytes a black hole holds, while a heal can still let them through).
   */
  const finish = (direction: Direction | undefined, pair: Pair) => {
    if (!direction || direction.to.destroyed) return;
    direction.ending = true;
    const held = direction.held.length > 0 && pairs.has(pair);
    if (direction.queue.length === 0 && !held) direction.to.end();
  };

  const connectUpstream = (pair: Pair) => {
    const upstream = createConnection({ host, port });
    upstream.setNoDelay(true);
    pair.upstream = upstream;
    pair.up = newDirection(upstream);
    for (const chunk of pair.early.splice(0)) send(pair.up, chunk, pair);
    upstream.on("data", (chunk: Buffer) => send(pair.down, chunk, pair));
    upstream.on("error", () => pair.client.destroy());
    upstream.on("close", () => finish(pair.down, pair));
  };

  const server = createServer((client) => {
    accepted++;
    client.setNoDelay(true);
    const pair: Pair = { client, early: [], down: newDirection(client) };
    pairs.add(pair);
    client.on("data", (chunk: Buffer) => send(pair.up, chunk, pair));
    client.on("error", () => pair.upstream?.destroy());
    client.on("close", () => {
      pairs.delete(pair);
      finish(pair.up, pair);
    });
    if (mode.kind !== "black-hole") connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no proxy address");

  return {
    address: `127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    setMode(next) {
      const healed = mode.kind === "black-hole" && next.kind !== "black-hole";
      mode = next;
      if (!healed) return;
      for (const pair of pairs) {
        if (!pair.up) connectUpstream(pair);
        for (const side of [pair.up!, pair.down]) {
          for (const chunk of side.held.splice(0)) send(side, chunk, pair);
        }
      }
    },
    resetAll() {
      for (const pair of pairs) {
        stopTimers(pair);
        pair.client.resetAndDestroy();
        pair.upstream?.resetAndDestroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          stopTimers(pair);
          pair.client.destroy();
          pair.upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

function stopTimers(pair: Pair): void {
  for (const side of [pair.up, pair.down]) {
    if (side?.timer !== undefined) clearTimeout(side.timer);
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
