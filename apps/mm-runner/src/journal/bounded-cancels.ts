import { type OrderGateway, Semaphore } from "@matchingo-mm/core";

/**
 * The gateway's `cancelOrder` with at most `limit` calls in flight, however many callers
 * share it: the main thread sweeps every journal at once over its one gRPC channel.
 */
export function boundedCancels(
  gateway: Pick<OrderGateway, "cancelOrder">,
  limit: number,
): Pick<OrderGateway, "cancelOrder"> {
  const semaphore = new Semaphore(limit);
  return {
    cancelOrder: (book, orderId, options) =>
      semaphore.run(() => gateway.cancelOrder(book, orderId, options)),
  };
}
