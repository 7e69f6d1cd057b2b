import {
  BackendType,
  type CreateOrderRequest,
  type DeepPartial,
  type Fill,
  type OrderBookResponse,
  type OrderBookServiceImplementation,
  type OrderResponse,
  OrderSide,
  OrderStatus,
  OrderType,
  type PriceLevel,
  TimeInForce,
} from "@matchingo-mm/grpc-client/proto";
import { ServerError, Status } from "nice-grpc";
import type { IncomingOrder, LevelSnapshot, OrderBook } from "./book.ts";
import { type Exchange, statusOf } from "./exchange.ts";
import { type Fixed, FixedPointParseError, formatFixed, parseFixed } from "./fixed-point.ts";
import type { Side } from "./price-levels.ts";
import type { TradeStall } from "./trade-stall.ts";
import type { VenueOrderStatus } from "./types.ts";

const DEFAULT_DEPTH = 10;
const MAX_LIST_LIMIT = 100;

/** The `matchingo.api.OrderBookService` rpcs over an {@link Exchange}, quirks included. */
export function createOrderBookService(
  exchange: Exchange,
  tradeStall: TradeStall = async () => {},
): OrderBookServiceImplementation {
  const bookResponse = (book: OrderBook): OrderBookResponse => ({
    name: book.name,
    backendType: BackendType.MEMORY,
    createdAt: book.createdAt,
    // Matchingo's count of accepted creates, not of live orders.
    orderCount: book.acceptedOrders,
  });

  const requireBook = (name: string): OrderBook => {
    const book = exchange.book(name);
    if (!book) throw new ServerError(Status.NOT_FOUND, `order book ${name} not found`);
    return book;
  };

  return {
    async createOrderBook(request) {
      if (request.name === "") {
        throw new ServerError(Status.INVALID_ARGUMENT, "order book name is required");
      }
      if (request.backendType === BackendType.REDIS) {
        throw new ServerError(
          Status.UNIMPLEMENTED,
          "the embedded venue has no redis backend; create the book with backend MEMORY",
        );
      }
      if (request.backendType !== BackendType.MEMORY) {
        throw new ServerError(
          Status.INVALID_ARGUMENT,
          `unsupported backend type: ${request.backendType}`,
        );
      }
      const book = exchange.createBook(request.name);
      if (!book) {
        throw new ServerError(Status.ALREADY_EXISTS, `order book ${request.name} already exists`);
      }
      return bookResponse(book);
    },

    async getOrderBook(request) {
      return bookResponse(requireBook(request.name));
    },

    async listOrderBooks(request) {
      const books = exchange.allBooks();
      const offset = Math.max(request.offset, 0);
      const limit =
        request.limit <= 0 || request.limit > MAX_LIST_LIMIT ? MAX_LIST_LIMIT : request.limit;
      return {
        orderBooks: books.slice(offset, offset + limit).map(bookResponse),
        total: books.length,
      };
    },

    async deleteOrderBook(request) {
      if (!exchange.deleteBook(request.name)) {
        throw new ServerError(Status.NOT_FOUND, `order book ${request.name} not found`);
      }
      return {};
    },

    async createOrder(request) {
      try {
        const { response, traded } = placeOrder(request);
        // The order has matched and rested already; only the answer waits (see trade-stall.ts).
        await tradeStall(traded);
        return response;
      } catch (error) {
        if (error instanceof ServerError) {
          exchange.emit({
            type: "order-rejected",
            book: request.orderBookName,
            orderId: request.orderId,
            code: Status[error.code],
            message: error.details,
            time: exchange.clock(),
          });
        }
        throw error;
      }
    },

    async getOrder(request) {
      const book = requireBook(request.orderBookName);
      const order = book.get(request.orderId);
      if (!order) throw new ServerError(Status.NOT_FOUND, `order ${request.orderId} not found`);
      const filled = order.quantity - order.remaining;
      // As Matchingo: no fills, no user_address, and the time of this call as created_at
      // (it does not keep when an order was made).
      const now = exchange.clock();
      return {
        orderId: order.id,
        orderBookName: book.name,
        side: order.side === "buy" ? OrderSide.BUY : OrderSide.SELL,
        quantity: formatFixed(order.quantity),
        price: formatFixed(order.price),
        // Only GTC limit orders ever rest: IOC, FOK and market leftovers are dropped at once.
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.GTC,
        status: wireStatus(statusOf(order.quantity, filled)),
        filledQuantity: formatFixed(filled),
        remainingQuantity: formatFixed(order.remaining),
        createdAt: now,
        updatedAt: now,
        fills: [],
        userAddress: "",
      };
    },

    async cancelOrder(request) {
      const book = requireBook(request.orderBookName);
      if (!exchange.cancel(book, request.orderId)) {
        throw new ServerError(Status.NOT_FOUND, `order ${request.orderId} not found`);
      }
      return {};
    },

    async getOrderBookState(request) {
      const book = requireBook(request.name);
      const depth = request.depth <= 0 ? DEFAULT_DEPTH : request.depth;
      return {
        name: book.name,
        bids: book.depth("buy", depth).map(wireLevel),
        asks: book.depth("sell", depth).map(wireLevel),
        timestamp: exchange.clock(),
      };
    },
  };

  function placeOrder(request: CreateOrderRequest): {
    response: DeepPartial<OrderResponse>;
    traded: boolean;
  } {
    const book = requireBook(request.orderBookName);
    const side = sideOf(request.side);
    const quantity = parseField("quantity", request.quantity);

    let incoming: IncomingOrder;
    switch (request.orderType) {
      case OrderType.MARKET:
        if (quantity <= 0n) {
          throw new ServerError(
            Status.INVALID_ARGUMENT,
            `order creation failed: invalid quantity "${request.quantity}" (must be positive at 3 decimals)`,
          );
        }
        // A market order never rests: whatever does not trade at once is dropped (IOC).
        incoming = {
          ...common(request, side, quantity),
          kind: "market",
          timeInForce: "IOC",
          price: 0n,
        };
        break;
      case OrderType.LIMIT: {
        const price = parseField("price", request.price);
        const timeInForce = timeInForceOf(request.timeInForce);
        if (quantity <= 0n || price <= 0n) {
          // Matchingo's quirk, kept on purpose: its limit-order constructor returns nil here.
          throw new ServerError(Status.INTERNAL, "order creation failed: nil order");
        }
        incoming = { ...common(request, side, quantity), kind: "limit", timeInForce, price };
        break;
      }
      case OrderType.STOP:
      case OrderType.STOP_LIMIT:
        throw new ServerError(
          Status.UNIMPLEMENTED,
          "stop and stop-limit orders are not implemented by the embedded venue",
        );
      default:
        throw new ServerError(
          Status.INVALID_ARGUMENT,
          `unsupported order type: ${request.orderType}`,
        );
    }
    if (book.has(incoming.id)) {
      throw new ServerError(Status.ALREADY_EXISTS, `order with ID ${incoming.id} already exists`);
    }

    const result = exchange.submit(book, incoming);
    const { filled, executions, time } = result;
    const lastPrice = executions[executions.length - 1]?.price;
    const fills: Fill[] = [
      // Matchingo's odd first entry: the incoming order itself, its total traded quantity at
      // its own limit price (a market order shows its last execution price, or "0").
      {
        price:
          incoming.kind === "limit" ? formatFixed(incoming.price) : formatFixed(lastPrice ?? 0n),
        quantity: formatFixed(filled),
        timestamp: time,
      },
      ...executions.map((execution) => ({
        price: formatFixed(execution.price),
        quantity: formatFixed(execution.quantity),
        timestamp: time,
      })),
    ];
    // Matchingo reports a market order that traded anything as having nothing left.
    const remaining: Fixed =
      incoming.kind === "market" && filled > 0n ? 0n : incoming.quantity - filled;

    const response: DeepPartial<OrderResponse> = {
      orderId: request.orderId,
      orderBookName: request.orderBookName,
      side: request.side,
      quantity: request.quantity,
      price: request.price,
      orderType: request.orderType,
      timeInForce: request.timeInForce,
      stopPrice: request.stopPrice,
      status: wireStatus(statusOf(incoming.quantity, filled)),
      filledQuantity: formatFixed(filled),
      remainingQuantity: formatFixed(remaining),
      createdAt: time,
      updatedAt: time,
      fills,
      ocoId: request.ocoId,
      // Matchingo never echoes user_address.
      userAddress: "",
    };
    return { response, traded: executions.length > 0 };
  }
}

function common(request: CreateOrderRequest, side: Side, quantity: Fixed) {
  return { id: request.orderId, side, quantity, userAddress: request.userAddress };
}

function parseField(field: "quantity" | "price", text: string): Fixed {
  try {
    return parseFixed(text);
  } catch (error) {
    const reason = error instanceof FixedPointParseError ? error.message : String(error);
    throw new ServerError(Status.INVALID_ARGUMENT, `invalid ${field} "${text}": ${reason}`);
  }
}

/** As Matchingo: anything but SELL is a buy. */
function sideOf(side: OrderSide): Side {
  return side === OrderSide.SELL ? "sell" : "buy";
}

function timeInForceOf(timeInForce: TimeInForce): IncomingOrder["timeInForce"] {
  switch (timeInForce) {
    case TimeInForce.IOC:
      return "IOC";
    case TimeInForce.FOK:
      return "FOK";
    default:
      // As Matchingo: GTC, and anything it does not know, is GTC.
      return "GTC";
  }
}

function wireStatus(status: VenueOrderStatus): OrderStatus {
  switch (status) {
    case "OPEN":
      return OrderStatus.OPEN;
    case "PARTIALLY_FILLED":
      return OrderStatus.PARTIALLY_FILLED;
    case "FILLED":
      return OrderStatus.FILLED;
  }
}

function wireLevel(level: LevelSnapshot): PriceLevel {
  return {
    price: formatFixed(level.price),
    totalQuantity: formatFixed(level.totalQuantity),
    orderCount: level.orderCount,
    userAddress: level.firstUserAddress,
  };
}
