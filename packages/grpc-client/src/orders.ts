import {
  type CancelOutcome,
  type OrderIntent,
  type OrderStatus,
  type PlacedOrder,
  VenueError,
} from "@matchingo-mm/core";
import { Status } from "nice-grpc-common";
import { toOrderDetails, toPlacedStatus } from "./convert.ts";
import { OrderStatus as WireOrderStatus } from "./gen/orderbook.ts";
import { toCreateOrderRequest } from "./order-request.ts";
import { requireName } from "./require-name.ts";
import type { AttemptCounter, CallScope, Transport } from "./transport.ts";
import type { MatchingoCallOptions, OrderDetails, PlaceOrderOptions } from "./types.ts";
import { hasStatus, isBookNotFound, toVenueError } from "./venue-error.ts";

export interface OrderOperations {
  /** Sends a limit GTC order. Prices/quantities finer than 0.001, zero or negative are refused unsent. */
  placeOrder(order: OrderIntent, options?: PlaceOrderOptions): Promise<PlacedOrder>;
  /** `already-gone` when the venue does not hold the order (filled, cancelled, never arrived). */
  cancelOrder(
    book: string,
    orderId: string,
    options?: MatchingoCallOptions,
  ): Promise<CancelOutcome>;
  getOrder(book: string, orderId: string, options?: MatchingoCallOptions): Promise<OrderStatus>;
  /** Everything the venue says about a live order, or undefined when it is gone. */
  getOrderDetails(
    book: string,
    orderId: string,
    options?: MatchingoCallOptions,
  ): Promise<OrderDetails | undefined>;
}

/** NOT_FOUND for the order (not for its book): the venue holds no such live order. */
function orderNotFound(error: unknown): boolean {
  return hasStatus(error, Status.NOT_FOUND) && !isBookNotFound(error);
}

export function createOrderOperations(transport: Transport, userAddress: string): OrderOperations {
  const { raw } = transport;

  /**
   * An earlier attempt of this CreateOrder got through before its answer was lost. Ask
   * the venue what became of it; if that fails too, report it resting with nothing
   * filled: the caller tracks it, and its next getOrder tells the truth.
   */
  async function alreadyPlaced(
    book: string,
    orderId: string,
    quantity: string,
    scope: CallScope,
  ): Promise<PlacedOrder> {
    const assumed: PlacedOrder = {
      orderId,
      status: "open",
      filledQuantity: "0",
      remainingQuantity: quantity,
      alreadyPlaced: true,
    };
    try {
      const live = await raw.getOrder({ orderBookName: book, orderId }, scope.options());
      return {
        ...assumed,
        status: toPlacedStatus(live.status) ?? "open",
        filledQuantity: live.filledQuantity,
        remainingQuantity: live.remainingQuantity,
      };
    } catch {
      return assumed;
    }
  }

  const operations: OrderOperations = {
    async placeOrder(order, options) {
      const method = "CreateOrder";
      const request = toCreateOrderRequest(order, options?.userAddress ?? userAddress);
      const scope = transport.begin(method, options);
      const counter: AttemptCounter = { attempts: 0 };
      try {
        const response = await raw.createOrder(request, scope.options(counter));
        const status = toPlacedStatus(response.status);
        if (status === undefined) {
          throw new VenueError(
            `${method} rejected by the venue: order ${request.orderId} came back ${WireOrderStatus[response.status] ?? response.status}`,
            { kind: "rejected", method },
          );
        }
        // Matchingo's first entry is the order itself at its own limit; the others are the
        // resting orders it met, at their prices: what it really traded at.
        const trades = response.fills
          .slice(1)
          .map((fill) => ({ price: fill.price, quantity: fill.quantity }));
        return {
          orderId: response.orderId || request.orderId,
          status,
          filledQuantity: response.filledQuantity,
          remainingQuantity: response.remainingQuantity,
          alreadyPlaced: false,
          ...(trades.length > 0 ? { trades } : {}),
        };
      } catch (error) {
        // Only a retry may meet its own first attempt; on the first attempt the id is
        // someone else's live order: a real conflict.
        if (hasStatus(error, Status.ALREADY_EXISTS) && counter.attempts > 1) {
          return alreadyPlaced(request.orderBookName, request.orderId, request.quantity, scope);
        }
        throw toVenueError(error, method, scope.signal);
      }
    },

    async cancelOrder(book, orderId, options) {
      const method = "CancelOrder";
      const request = {
        orderBookName: requireName(method, "book", book),
        orderId: requireName(method, "orderId", orderId),
      };
      const scope = transport.begin(method, options);
      try {
        await raw.cancelOrder(request, scope.options());
        return "canceled";
      } catch (error) {
        if (orderNotFound(error)) return "already-gone";
        throw toVenueError(error, method, scope.signal);
      }
    },

    async getOrder(book, orderId, options) {
      const details = await operations.getOrderDetails(book, orderId, options);
      if (details === undefined) return { state: "gone" };
      return {
        state: "live",
        filledQuantity: details.filledQuantity,
        remainingQuantity: details.remainingQuantity,
      };
    },

    async getOrderDetails(book, orderId, options) {
      const method = "GetOrder";
      const request = {
        orderBookName: requireName(method, "book", book),
        orderId: requireName(method, "orderId", orderId),
      };
      const scope = transport.begin(method, options);
      try {
        return toOrderDetails(await raw.getOrder(request, scope.options()));
      } catch (error) {
        if (orderNotFound(error)) return undefined;
        throw toVenueError(error, method, scope.signal);
      }
    },
  };
  return operations;
}
