import type { MessagePort } from "node:worker_threads";
import { type CallOptions, type OrderGateway, VenueError } from "@matchingo-mm/core";
import type { FromWorker, ToWorker, VenueCall, VenueCallResults } from "./protocol.ts";
import { fromWireError } from "./wire/wire-error.ts";

export interface PortGateway extends OrderGateway {
  /** Creates the book unless the venue has it (after a venue restart). */
  ensureBook(book: string, options?: CallOptions): Promise<void>;
  /** Hands a `venue-result` from the main thread to the waiting call. */
  answer(message: Extract<ToWorker, { type: "venue-result" }>): void;
  /** Rejects every waiting call (the worker is stopping). */
  close(reason: unknown): void;
}

/** The rpc each call is, for the errors made here. */
const RPC: Record<VenueCall["method"], string> = {
  placeOrder: "CreateOrder",
  cancelOrder: "CancelOrder",
  getOrder: "GetOrder",
  getBook: "GetOrderBook",
  ensureBook: "CreateOrderBook",
};

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The worker's `OrderGateway`: every call is made by the main thread on the process's one
 * gRPC channel (`venue-host.ts`). A worker then carries no gRPC stack of its own: no
 * second copy of grpc-js and http2 per symbol, one connection to the venue, not one per
 * symbol. Errors come back as core's `VenueError`, with their `kind`.
 */
export function createPortGateway(port: Pick<MessagePort, "postMessage">): PortGateway {
  let nextId = 1;
  const waiting = new Map<number, Waiting>();

  function call<M extends VenueCall["method"]>(
    venueCall: Extract<VenueCall, { method: M }>,
    options: CallOptions = {},
  ): Promise<VenueCallResults[M]> {
    const { signal } = options;
    const method = RPC[venueCall.method];
    if (signal?.aborted) return Promise.reject(aborted(method, signal.reason));
    const id = nextId++;
    return new Promise<VenueCallResults[M]>((resolve, reject) => {
      // Like a gRPC call, an aborted one settles at once; whether the venue acted on it is
      // unknown (`aborted` says so), the same as when grpc-js cancels a stream in flight.
      const onAbort = () => {
        if (!waiting.delete(id)) return;
        port.postMessage({ type: "venue-abort", id } satisfies FromWorker);
        reject(aborted(method, signal?.reason));
      };
      const done = () => signal?.removeEventListener("abort", onAbort);
      waiting.set(id, {
        resolve: (value) => {
          done();
          resolve(value as VenueCallResults[M]);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      port.postMessage({ type: "venue-call", id, call: venueCall } satisfies FromWorker);
    });
  }

  return {
    placeOrder: (order, options) => call({ method: "placeOrder", order }, options),
    cancelOrder: (book, orderId, options) =>
      call({ method: "cancelOrder", book, orderId }, options),
    getOrder: (book, orderId, options) => call({ method: "getOrder", book, orderId }, options),
    getBook: (book, options) => call({ method: "getBook", book }, options),
    ensureBook: (book, options) => call({ method: "ensureBook", book }, options),
    answer(message) {
      const entry = waiting.get(message.id);
      if (!entry) return; // aborted meanwhile: nobody waits for it
      waiting.delete(message.id);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(fromWireError(message.error));
    },
    close(reason) {
      for (const [id, entry] of waiting) {
        waiting.delete(id);
        entry.reject(
          new VenueError("venue call not answered: the worker is stopping", {
            kind: "aborted",
            cause: reason,
          }),
        );
      }
    },
  };
}

function aborted(method: string, reason: unknown): VenueError {
  return new VenueError(`${method} aborted by the caller`, {
    kind: "aborted",
    method,
    cause: reason,
  });
}
