import type { OrderIntent } from "@matchingo-mm/core";
import { toWireSide } from "./convert.ts";
import { type CreateOrderRequest, OrderType, TimeInForce } from "./gen/orderbook.ts";
import { requireName } from "./require-name.ts";
import { toVenueDecimal } from "./venue-decimal.ts";
import { refused } from "./venue-error.ts";

/**
 * A limit GTC CreateOrderRequest, or a `rejected` VenueError when the venue would not
 * take the order as meant (it truncates finer digits and answers INTERNAL for zero).
 */
export function toCreateOrderRequest(order: OrderIntent, userAddress: string): CreateOrderRequest {
  const method = "CreateOrder";
  const book = requireName(method, "book", order.book);
  const orderId = requireName(method, "orderId", order.orderId);
  if (order.side !== "buy" && order.side !== "sell") {
    throw refused(method, `side must be "buy" or "sell", got ${JSON.stringify(order.side)}`);
  }
  const price = toVenueDecimal("price", order.price);
  if (!price.ok) throw refused(method, `order ${orderId}: ${price.reason}`, price.cause);
  const quantity = toVenueDecimal("quantity", order.quantity);
  if (!quantity.ok) throw refused(method, `order ${orderId}: ${quantity.reason}`, quantity.cause);
  return {
    orderBookName: book,
    orderId,
    side: toWireSide(order.side),
    quantity: quantity.text,
    price: price.text,
    orderType: OrderType.LIMIT,
    timeInForce: TimeInForce.GTC,
    stopPrice: "",
    ocoId: "",
    userAddress,
  };
}
