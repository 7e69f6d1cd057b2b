import type { OrderGateway } from "@matchingo-mm/core";

/**
 * The gateway's `cancelOrder` with at most `limit` calls in flight, however many callers
 * share it: the main thread sweeps every journal at once over its one gRPC channel.
 */
export function boundedCancels(
  gateway: Pick<OrderGateway, "cancelOrder">,
  limit: number,
): Pick<OrderGateway, "cancelOrder"> {
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new TypeError(`boundedCancels: limit must be a whole number >= 1, got ${limit}`);
  }
  let inFlight = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    inFlight--;
    queue.shift()?.();
  };
  const acquire = (): Promise<void> => {
    if (inFlight < limit) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) =>
      queue.push(() => {
        inFlight++;
        resolve();
      }),
    );
  };
  return {
    async cancelOrder(book, orderId, options) {
      await acquire();
      try {
        return await gateway.cancelOrder(book, orderId, options);
      } finally {
        release();
      }
    },
  };
}
