import { Worker } from "node:worker_threads";
import type { DepthReport } from "./depth-watch.ts";
import type {
  VenueAnswer,
  VenueReady,
  VenueReply,
  VenueRequest,
  WireOrder,
  WireTrade,
} from "./protocol.ts";

const BOOT = new URL("./boot.mjs", import.meta.url);
const ENTRY = new URL("./venue-thread.ts", import.meta.url).href;

/** The embedded venue running in its own thread, seen from the bench. */
export interface RemoteVenue {
  /** "127.0.0.1:PORT" */
  readonly address: string;
  /** The venue thread's id (its CPU time is the bench process's, not the runner's). */
  readonly threadId: number;
  liveOrders(book?: string): Promise<WireOrder[]>;
  trades(book?: string): Promise<WireTrade[]>;
  setLatency(ms: number): Promise<void>;
  /** Starts following `userAddress`'s orders in `book` from the venue's event stream. */
  watch(book: string, userAddress: string, levels: number): Promise<void>;
  /**
   * Book gap since the last report. Replies travel on the same port as nothing else, and
   * the venue thread handles a request only after every rpc it received before: ask once
   * the cycle's last response is in, and the report covers the whole cycle.
   */
  report(book: string): Promise<DepthReport>;
  unwatch(book: string): Promise<void>;
  close(): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Request = DistributiveOmit<VenueRequest, "id">;

export async function startRemoteVenue(options: { latencyMs?: number } = {}): Promise<RemoteVenue> {
  const worker = new Worker(BOOT, {
    workerData: { entry: ENTRY, latencyMs: options.latencyMs ?? 0 },
    execArgv: [],
    name: "bench-venue",
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`venue thread exited (code ${code})`)));

  const ready = await new Promise<VenueReady>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (message: VenueReady) => resolve(message));
  });
  worker.on("message", (reply: VenueReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`venue thread: ${reply.error}`));
  });

  const ask = <T extends Request["type"]>(
    request: Extract<Request, { type: T }>,
  ): Promise<VenueAnswer[T]> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  let closing: Promise<void> | undefined;
  return {
    address: ready.address,
    threadId: worker.threadId,
    liveOrders: (book) => ask({ type: "live-orders", ...(book ? { book } : {}) }),
    trades: (book) => ask({ type: "trades", ...(book ? { book } : {}) }),
    setLatency: (ms) => ask({ type: "set-latency", ms }),
    watch: (book, userAddress, levels) => ask({ type: "watch", book, userAddress, levels }),
    report: (book) => ask({ type: "report", book }),
    unwatch: (book) => ask({ type: "unwatch", book }),
    close() {
      closing ??= (async () => {
        try {
          await ask({ type: "close" });
        } catch {
          // Already gone.
        }
        await worker.terminate();
      })();
      return closing;
    },
  };
}
