import type { MatchingoClient, RpcInfo } from "@matchingo-mm/grpc-client";
import type { HostApi } from "../wire/protocol.ts";

/** What the host needs of the process's venue client. */
export type SharedVenue = Pick<
  MatchingoClient,
  "placeOrder" | "cancelOrder" | "getOrder" | "getBook" | "ensureOrderBook"
>;

export type VenueMethods = "placeOrder" | "cancelOrder" | "getOrder" | "getBook" | "ensureBook";

export interface VenueApiOptions {
  readonly venue: SharedVenue;
  /** The process's bound on venue calls in flight, shared by every worker. */
  readonly slots?: CallSlots;
  /** The worker's market-maker id, sent as `user_address` on its creates. */
  readonly userAddress: string;
  /** Every gRPC attempt of this worker's calls, for its metrics. */
  readonly onRpc?: (info: RpcInfo) => void;
}

/**
 * At most this many steps of one worker's plan phase in flight at once (the worker sends
 * the whole phase: a ladder of up to 16 levels a side goes out at once).
 */
export const PHASE_CONCURRENCY = 32;

/**
 * Venue calls in flight at once for the whole process (all workers together): what 64
 * symbols had at most before a worker's phase went out whole (8 each).
 */
export const PROCESS_CONCURRENCY = 512;

/**
 * One worker's venue calls, made on the process's shared client: each with the caller's
 * abort (the RPC's signal) and this worker's metrics.
 */
export function createVenueApi(options: VenueApiOptions): Pick<HostApi, VenueMethods> {
  const { venue, userAddress, onRpc } = options;
  const slots = options.slots ?? unbounded;
  const with_ = (signal: AbortSignal) => ({ signal, ...(onRpc ? { onRpc } : {}) });
  return {
    placeOrder: (order, { signal }) =>
      slots.run(signal, () => venue.placeOrder(order, { ...with_(signal), userAddress })),
    cancelOrder: ({ book, orderId }, { signal }) =>
      slots.run(signal, () => venue.cancelOrder(book, orderId, with_(signal))),
    getOrder: ({ book, orderId }, { signal }) =>
      slots.run(signal, () => venue.getOrder(book, orderId, with_(signal))),
    getBook: ({ book }, { signal }) => slots.run(signal, () => venue.getBook(book, with_(signal))),
    ensureBook: async ({ book }, { signal }) => {
      await slots.run(signal, () => venue.ensureOrderBook(book, with_(signal)));
      return undefined;
    },
  };
}

/**
 * At most `limit` venue calls in flight for the whole process, first come first served: one
 * symbol gets its whole phase on the channel at once, many symbols requoting together do
 * not pile a thousand calls (and their memory) onto it. A call whose caller gave up while
 * it waited for a slot is never made.
 */
export interface CallSlots {
  run<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T>;
}

const unbounded: CallSlots = { run: (_signal, call) => call() };

export function createCallSlots(limit: number): CallSlots {
  let free = limit;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else free++;
  };
  const slot = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const take = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = queue.indexOf(take);
        if (index >= 0) queue.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      queue.push(take);
    });
  return {
    async run(signal, call) {
      if (free > 0) free--;
      else await slot(signal);
      try {
        return await call();
      } finally {
        release();
      }
    },
  };
}
