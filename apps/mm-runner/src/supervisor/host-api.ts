import { priceFor } from "../workers/host/price-link.ts";
import { type CallSlots, createVenueApi } from "../workers/host/venue-api.ts";
import type { WireEvent } from "../workers/wire/events.ts";
import type { HostApi } from "../workers/wire/protocol.ts";
import { fromWireError } from "../workers/wire/wire-error.ts";
import type { SupervisorOptions } from "./options.ts";
import type { Slot } from "./slots.ts";

/** What of the supervisor's options a worker's calls on the main thread reach. */
export type HostApiOptions = Pick<
  SupervisorOptions,
  | "gateway"
  | "metrics"
  | "feed"
  | "checked"
  | "onConfigProblems"
  | "books"
  | "fills"
  | "onStateLost"
  | "memory"
>;

/**
 * What a worker calls on the main thread: the shared venue and feed, and its reports.
 * `callSlots` bounds the venue calls in flight across every worker (one channel).
 */
export function hostApi(options: HostApiOptions, callSlots: CallSlots, slot: Slot): HostApi {
  const { config } = slot;
  return {
    ...createVenueApi({
      venue: options.gateway,
      slots: callSlots,
      userAddress: config.marketMakerId,
      onRpc: (info) =>
        options.metrics?.observe(config.symbol, {
          type: "rpc",
          method: info.method,
          code: info.codeName,
          durationMs: info.durationMs,
        }),
    }),
    price: ({ symbol }) => priceFor(options, slot, symbol),
    event: (event) => onEvent(options, slot, event),
    fillSeen: ({ key }) => options.fills?.settle(key),
    fillsToEnd: async (_request, { signal }) => {
      await options.fills?.readToEnd(signal);
      return undefined;
    },
    snapshot(snapshot) {
      slot.tracker.onSnapshot(snapshot);
      if (snapshot.lastPrice) slot.lastPrice = snapshot.lastPrice.price;
    },
    log(line) {
      const fields = {
        ...line.fields,
        ...(line.error ? { err: fromWireError(line.error) } : {}),
      };
      slot.logger[line.level](fields, line.msg);
    },
    stopped(summary) {
      slot.summary = summary;
    },
    failed(error) {
      slot.logger.error({ err: fromWireError(error) }, "the market maker failed");
    },
    stateLost: ({ message }) => options.onStateLost?.(message),
    heap: (heap) => options.memory?.noteWorker(config.symbol, heap),
  };
}

function onEvent(
  options: Pick<SupervisorOptions, "books" | "metrics">,
  slot: Slot,
  event: WireEvent,
): void {
  // The ledger first: a fill is on disk before anyone hears of it.
  options.books.record(slot.config.symbol, event);
  // The metrics read core's events in their wire form.
  options.metrics?.observe(slot.config.symbol, event);
  slot.tracker.onEvent(event);
  slot.log(event);
}
