import { type CallOptions, type OrderGateway, VenueError } from "@matchingo-mm/core";
import type { HostApi } from "../wire/protocol.ts";
import type { Client } from "../wire/rpc.ts";

export interface ThreadGateway extends OrderGateway {
  /** Creates the book unless the venue has it (after a venue restart). */
  ensureBook(book: string, options?: CallOptions): Promise<void>;
}

/** The rpc each call is, for the errors made here. */
export const RPC_OF: Readonly<Record<string, string>> = {
  placeOrder: "CreateOrder",
  cancelOrder: "CancelOrder",
  getOrder: "GetOrder",
  getBook: "GetOrderBook",
  ensureBook: "CreateOrderBook",
};

/**
 * The worker's `OrderGateway`: every call is made by the main thread on the process's one
 * gRPC channel (`HostApi`). A worker then carries no gRPC stack of its own: no second copy
 * of grpc-js and http2 per symbol, one connection to the venue, not one per symbol. Errors
 * come back as core's `VenueError`, with their `kind`. The creates and cancels of a plan's
 * phase, made in one turn, cross as one message and are answered in one.
 */
export function createThreadGateway(host: Client<HostApi>): ThreadGateway {
  return {
    placeOrder: (order, options) => host.placeOrder(order, options),
    cancelOrder: (book, orderId, options) => host.cancelOrder({ book, orderId }, options),
    getOrder: (book, orderId, options) => host.getOrder({ book, orderId }, options),
    getBook: (book, options) => host.getBook({ book }, options),
    ensureBook: async (book, options) => {
      await host.ensureBook({ book }, options);
    },
  };
}

/**
 * Like a gRPC call, an aborted venue call settles at once; whether the venue acted on it
 * is unknown (`aborted` says so), the same as when grpc-js cancels a stream in flight.
 */
export function venueCallAborted(method: string, reason: unknown): VenueError {
  const rpc = RPC_OF[method] ?? method;
  return new VenueError(`${rpc} aborted by the caller`, {
    kind: "aborted",
    method: rpc,
    cause: reason,
  });
}

/** A venue call still waiting when the worker stops. */
export function venueCallUnanswered(reason: unknown): VenueError {
  return new VenueError("venue call not answered: the worker is stopping", {
    kind: "aborted",
    cause: reason,
  });
}
