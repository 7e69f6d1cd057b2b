import type { MatchingoClient, RpcInfo } from "@matchingo-mm/grpc-client";
import type { FromWorker, ToWorker, VenueCall } from "./protocol.ts";
import { toWireError } from "./wire/wire-error.ts";

/** What the host needs of the process's venue client. */
export type SharedVenue = Pick<
  MatchingoClient,
  "placeOrder" | "cancelOrder" | "getOrder" | "getBook" | "ensureOrderBook"
>;

export interface VenueHostOptions {
  readonly venue: SharedVenue;
  /** The worker's market-maker id, sent as `user_address` on its creates. */
  readonly userAddress: string;
  /** Every gRPC attempt of this worker's calls, for its metrics. */
  readonly onRpc?: (info: RpcInfo) => void;
  /** Posts an answer to the worker (a dead worker's answers go nowhere). */
  readonly reply: (message: Extract<ToWorker, { type: "venue-result" }>) => void;
}

export interface VenueHost {
  handle(message: Extract<FromWorker, { type: "venue-call" | "venue-abort" }>): void;
  /** Calls made and not yet settled. */
  readonly inFlight: number;
  /**
   * Settles once every call in flight has settled. A worker that died does not cut its
   * calls short: a create it sent still lands or fails before its journal is swept, so
   * the sweep's cancel cannot overtake it.
   */
  drained(): Promise<void>;
}

/** Makes one worker's venue calls on the shared client, each with its abort and its answer. */
export function createVenueHost(options: VenueHostOptions): VenueHost {
  const { venue, userAddress, onRpc } = options;
  const calls = new Map<number, AbortController>();
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;

  function run(call: VenueCall, signal: AbortSignal): Promise<unknown> {
    const callOptions = { signal, ...(onRpc ? { onRpc } : {}) };
    switch (call.method) {
      case "placeOrder":
        return venue.placeOrder(call.order, { ...callOptions, userAddress });
      case "cancelOrder":
        return venue.cancelOrder(call.book, call.orderId, callOptions);
      case "getOrder":
        return venue.getOrder(call.book, call.orderId, callOptions);
      case "getBook":
        return venue.getBook(call.book, callOptions);
      case "ensureBook":
        return venue.ensureOrderBook(call.book, callOptions).then(() => undefined);
    }
  }

  function reply(message: Extract<ToWorker, { type: "venue-result" }>): void {
    try {
      options.reply(message);
    } catch {
      // The worker is gone: nobody waits for the answer.
    }
  }

  function settle(id: number): void {
    calls.delete(id);
    if (calls.size === 0 && idle) {
      idle.resolve();
      idle = undefined;
    }
  }

  return {
    handle(message) {
      if (message.type === "venue-abort") {
        calls.get(message.id)?.abort(new Error("the worker gave up on the call"));
        return;
      }
      const { id, call } = message;
      const controller = new AbortController();
      calls.set(id, controller);
      // Started inside a promise: an argument the client refuses by throwing is answered too.
      Promise.resolve()
        .then(() => run(call, controller.signal))
        .then(
          (value) => reply({ type: "venue-result", id, ok: true, value }),
          (error: unknown) =>
            reply({ type: "venue-result", id, ok: false, error: toWireError(error) }),
        )
        .finally(() => settle(id));
    },
    get inFlight() {
      return calls.size;
    },
    drained() {
      if (calls.size === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => {
          resolve = done;
        });
        idle = { promise, resolve };
      }
      return idle.promise;
    },
  };
}
