import { add, compare, type Decimal, formatDecimal, parseDecimal } from "@matchingo-mm/core";
import { type CallContext, ServerError, Status } from "nice-grpc";
import {
  BackendType,
  type OrderBookResponse,
  type OrderBookServiceImplementation,
  type OrderResponse,
  OrderSide,
  OrderStatus,
  type PriceLevel,
} from "../../src/gen/orderbook.ts";

export type MethodName =
  | "CreateOrderBook"
  | "GetOrderBook"
  | "ListOrderBooks"
  | "DeleteOrderBook"
  | "CreateOrder"
  | "GetOrder"
  | "CancelOrder"
  | "GetOrderBookState";

export interface ReceivedCall {
  readonly method: MethodName;
  readonly request: unknown;
  readonly context: CallContext;
}

/** Runs around a call's normal handling; throw a ServerError to fail the call. */
export type Hook = (call: ReceivedCall) => void | Promise<void>;

interface Book {
  readonly createdAt: Date;
  readonly orders: Map<string, OrderResponse>;
}

/**
 * A small stand-in for Matchingo with its documented answers (NOT_FOUND texts, the
 * INTERNAL "nil order" quirk, ALREADY_EXISTS for live ids), without matching, plus hooks
 * to inject faults before or after a call takes effect.
 */
export class FakeVenue {
  readonly books = new Map<string, Book>([["test", { createdAt: new Date(), orders: new Map() }]]);
  readonly received: ReceivedCall[] = [];
  before: Hook | undefined;
  after: Hook | undefined;

  calls(method: MethodName): number {
    return this.received.filter((call) => call.method === method).length;
  }

  lastCall(method: MethodName): ReceivedCall | undefined {
    return this.received.filter((call) => call.method === method).at(-1);
  }

  readonly implementation: OrderBookServiceImplementation = {
    createOrderBook: (request, context) =>
      this.handle("CreateOrderBook", request, context, () => {
        if (this.books.has(request.name)) {
          throw new ServerError(Status.ALREADY_EXISTS, `order book ${request.name} already exists`);
        }
        this.books.set(request.name, { createdAt: new Date(), orders: new Map() });
        return this.bookResponse(request.name);
      }),
    getOrderBook: (request, context) =>
      this.handle("GetOrderBook", request, context, () => this.bookResponse(request.name)),
    listOrderBooks: (request, context) =>
      this.handle("ListOrderBooks", request, context, () => {
        const names = [...this.books.keys()].sort();
        const end = request.limit > 0 ? request.offset + request.limit : undefined;
        return {
          orderBooks: names.slice(request.offset, end).map((name) => this.bookResponse(name)),
          total: names.length,
        };
      }),
    deleteOrderBook: (request, context) =>
      this.handle("DeleteOrderBook", request, context, () => {
        this.book(request.name);
        this.books.delete(request.name);
        return {};
      }),
    createOrder: (request, context) =>
      this.handle("CreateOrder", request, context, () => {
        const book = this.book(request.orderBookName);
        const quantity = parseAmount("quantity", request.quantity);
        const price = parseAmount("price", request.price);
        if (quantity.units <= 0n || price.units <= 0n) {
          throw new ServerError(Status.INTERNAL, "order creation failed: nil order");
        }
        if (book.orders.has(request.orderId)) {
          throw new ServerError(
            Status.ALREADY_EXISTS,
            `order with ID ${request.orderId} already exists`,
          );
        }
        const now = new Date();
        const order: OrderResponse = {
          orderId: request.orderId,
          orderBookName: request.orderBookName,
          side: request.side,
          quantity: request.quantity,
          price: request.price,
          orderType: request.orderType,
          timeInForce: request.timeInForce,
          stopPrice: request.stopPrice,
          status: OrderStatus.OPEN,
          filledQuantity: "0",
          remainingQuantity: formatDecimal(quantity, 3),
          createdAt: now,
          updatedAt: now,
          fills: [{ price: request.price, quantity: "0", timestamp: now }],
          ocoId: request.ocoId,
          userAddress: request.userAddress,
        };
        book.orders.set(request.orderId, order);
        return order;
      }),
    getOrder: (request, context) =>
      this.handle("GetOrder", request, context, () => {
        const order = this.book(request.orderBookName).orders.get(request.orderId);
        if (!order) throw new ServerError(Status.NOT_FOUND, `order ${request.orderId} not found`);
        return order;
      }),
    cancelOrder: (request, context) =>
      this.handle("CancelOrder", request, context, () => {
        if (!this.book(request.orderBookName).orders.delete(request.orderId)) {
          throw new ServerError(Status.NOT_FOUND, `order ${request.orderId} not found`);
        }
        return {};
      }),
    getOrderBookState: (request, context) =>
      this.handle("GetOrderBookState", request, context, () => {
        const orders = [...this.book(request.name).orders.values()];
        const depth = request.depth > 0 ? request.depth : 10;
        return {
          name: request.name,
          bids: levels(orders, OrderSide.BUY, -1).slice(0, depth),
          asks: levels(orders, OrderSide.SELL, 1).slice(0, depth),
          timestamp: new Date(),
        };
      }),
  };

  private async handle<T>(
    method: MethodName,
    request: unknown,
    context: CallContext,
    apply: () => T,
  ): Promise<T> {
    const call = { method, request, context };
    this.received.push(call);
    await this.before?.(call);
    const response = apply();
    await this.after?.(call);
    return response;
  }

  private book(name: string): Book {
    const book = this.books.get(name);
    if (!book) throw new ServerError(Status.NOT_FOUND, `order book ${name} not found`);
    return book;
  }

  private bookResponse(name: string): OrderBookResponse {
    const book = this.book(name);
    return {
      name,
      backendType: BackendType.MEMORY,
      createdAt: book.createdAt,
      orderCount: book.orders.size,
    };
  }
}

function parseAmount(field: string, text: string): Decimal {
  try {
    return parseDecimal(text);
  } catch {
    throw new ServerError(Status.INVALID_ARGUMENT, `invalid ${field}: ${text}`);
  }
}

function levels(orders: OrderResponse[], side: OrderSide, direction: 1 | -1): PriceLevel[] {
  const byPrice = new Map<string, { price: Decimal; total: Decimal; orders: OrderResponse[] }>();
  for (const order of orders.filter((o) => o.side === side)) {
    const price = parseDecimal(order.price);
    const key = formatDecimal(price, 3);
    const level = byPrice.get(key) ?? { price, total: { units: 0n, scale: 0 }, orders: [] };
    level.total = add(level.total, parseDecimal(order.remainingQuantity));
    level.orders.push(order);
    byPrice.set(key, level);
  }
  return [...byPrice.entries()]
    .sort(([, a], [, b]) => direction * compare(a.price, b.price))
    .map(([price, level]) => ({
      price,
      totalQuantity: formatDecimal(level.total, 3),
      orderCount: level.orders.length,
      userAddress: level.orders[0]?.userAddress ?? "",
    }));
}

/** A limit buy for the fake venue's `test` book. */
export const TEST_ORDER = {
  book: "test",
  orderId: "o-1",
  side: "buy",
  price: "100.5",
  quantity: "0.010",
} as const;
