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
  /** The worker's market-maker id, sent as `user_address` on its creates. */
  readonly userAddress: string;
  /** Every gRPC attempt of this worker's calls, for its metrics. */
  readonly onRpc?: (info: RpcInfo) => void;
}

/**
 * At most this many steps of a worker's plan phase in flight on the channel at once (the
 * worker sends the whole phase; core's own default bound).
 */
export const PHASE_CONCURRENCY = 32;

/**
 * One worker's venue calls, made on the process's shared client: each with the caller's
 * abort (the RPC's signal) and this worker's metrics.
 */
export function createVenueApi(options: VenueApiOptions): Pick<HostApi, VenueMethods> {
  const { venue, userAddress, onRpc } = options;
  const with_ = (signal: AbortSignal) => ({ signal, ...(onRpc ? { onRpc } : {}) });
  return {
    placeOrder: (order, { signal }) => venue.placeOrder(order, { ...with_(signal), userAddress }),
    cancelOrder: ({ book, orderId }, { signal }) => venue.cancelOrder(book, orderId, with_(signal)),
    getOrder: ({ book, orderId }, { signal }) => venue.getOrder(book, orderId, with_(signal)),
    getBook: ({ book }, { signal }) => venue.getBook(book, with_(signal)),
    ensureBook: async ({ book }, { signal }) => {
      await venue.ensureOrderBook(book, with_(signal));
      return undefined;
    },
  };
}
