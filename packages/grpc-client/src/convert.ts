import type { PlacedOrder, Side } from "@matchingo-mm/core";
import {
  BackendType,
  type OrderBookResponse,
  type OrderBookStateResponse,
  type OrderResponse,
  OrderSide,
  OrderStatus,
  OrderType,
  type PriceLevel,
  TimeInForce,
} from "./gen/orderbook.ts";
import type {
  BookBackend,
  BookLevel,
  OrderBookInfo,
  OrderBookState,
  OrderDetails,
  VenueOrderStatus,
  VenueOrderType,
  VenueTimeInForce,
} from "./types.ts";

export function toWireSide(side: Side): OrderSide {
  return side === "buy" ? OrderSide.BUY : OrderSide.SELL;
}

function fromWireSide(side: OrderSide): Side | "unknown" {
  if (side === OrderSide.BUY) return "buy";
  if (side === OrderSide.SELL) return "sell";
  return "unknown";
}

function fromWireStatus(status: OrderStatus): VenueOrderStatus {
  switch (status) {
    case OrderStatus.PENDING:
      return "pending";
    case OrderStatus.OPEN:
      return "open";
    case OrderStatus.PARTIALLY_FILLED:
      return "partially-filled";
    case OrderStatus.FILLED:
      return "filled";
    case OrderStatus.CANCELED:
      return "canceled";
    case OrderStatus.REJECTED:
      return "rejected";
    default:
      return "unknown";
  }
}

function fromWireType(type: OrderType): VenueOrderType {
  switch (type) {
    case OrderType.LIMIT:
      return "limit";
    case OrderType.MARKET:
      return "market";
    case OrderType.STOP:
      return "stop";
    case OrderType.STOP_LIMIT:
      return "stop-limit";
    default:
      return "unknown";
  }
}

function fromWireTimeInForce(tif: TimeInForce): VenueTimeInForce {
  switch (tif) {
    case TimeInForce.GTC:
      return "gtc";
    case TimeInForce.IOC:
      return "ioc";
    case TimeInForce.FOK:
      return "fok";
    default:
      return "unknown";
  }
}

function fromWireBackend(backend: BackendType): BookBackend {
  if (backend === BackendType.MEMORY) return "memory";
  if (backend === BackendType.REDIS) return "redis";
  return "unknown";
}

export function toWireBackend(backend: "memory" | "redis"): BackendType {
  return backend === "memory" ? BackendType.MEMORY : BackendType.REDIS;
}

const epochMs = (date: Date | undefined) => date?.getTime();

/** Keeps an absent optional absent rather than present-and-undefined. */
function withTime<T extends object, K extends string>(
  target: T,
  key: K,
  date: Date | undefined,
): T & { [P in K]?: number } {
  const ms = epochMs(date);
  return ms === undefined ? target : { ...target, [key]: ms };
}

export function toBookInfo(response: OrderBookResponse): OrderBookInfo {
  return withTime(
    {
      name: response.name,
      backend: fromWireBackend(response.backendType),
      orderCount: response.orderCount,
    },
    "createdAt",
    response.createdAt,
  );
}

function toLevel(level: PriceLevel): BookLevel {
  return {
    price: level.price,
    totalQuantity: level.totalQuantity,
    orderCount: level.orderCount,
    userAddress: level.userAddress,
  };
}

export function toBookState(response: OrderBookStateResponse): OrderBookState {
  return withTime(
    { name: response.name, bids: response.bids.map(toLevel), asks: response.asks.map(toLevel) },
    "timestamp",
    response.timestamp,
  );
}

export function toOrderDetails(response: OrderResponse): OrderDetails {
  const details: OrderDetails = {
    book: response.orderBookName,
    orderId: response.orderId,
    side: fromWireSide(response.side),
    type: fromWireType(response.orderType),
    timeInForce: fromWireTimeInForce(response.timeInForce),
    status: fromWireStatus(response.status),
    price: response.price,
    quantity: response.quantity,
    stopPrice: response.stopPrice,
    filledQuantity: response.filledQuantity,
    remainingQuantity: response.remainingQuantity,
    fills: response.fills.map((fill) =>
      withTime({ price: fill.price, quantity: fill.quantity }, "timestamp", fill.timestamp),
    ),
    ocoId: response.ocoId,
    userAddress: response.userAddress,
  };
  return withTime(
    withTime(details, "createdAt", response.createdAt),
    "updatedAt",
    response.updatedAt,
  );
}

/** The states a fresh limit GTC order can come back in; anything else is not resting. */
export function toPlacedStatus(status: OrderStatus): PlacedOrder["status"] | undefined {
  switch (status) {
    case OrderStatus.PENDING:
    case OrderStatus.OPEN:
      return "open";
    case OrderStatus.PARTIALLY_FILLED:
      return "partially-filled";
    case OrderStatus.FILLED:
      return "filled";
    default:
      return undefined;
  }
}
