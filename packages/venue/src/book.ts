import { type Fixed, minFixed } from "./fixed-point.ts";
import { BookSide, type RestingOrder, type Side } from "./price-levels.ts";

export type OrderKind = "limit" | "market";
export type TimeInForce = "GTC" | "IOC" | "FOK";

/** A validated order: positive quantity, and a positive price for a limit order. */
export interface IncomingOrder {
  readonly id: string;
  readonly side: Side;
  readonly kind: OrderKind;
  readonly timeInForce: TimeInForce;
  readonly quantity: Fixed;
  /** The limit price; ignored for a market order. */
  readonly price: Fixed;
  readonly userAddress: string;
}

/** One match of the incoming order against one resting order, at the resting price. */
export interface Execution {
  readonly makerOrderId: string;
  readonly makerUserAddress: string;
  readonly makerSide: Side;
  readonly price: Fixed;
  readonly quantity: Fixed;
  /** What the maker still has resting after this match (0: it is gone). */
  readonly makerRemaining: Fixed;
}

export interface SubmitResult {
  readonly filled: Fixed;
  /** Quantity neither traded nor resting (IOC, FOK, market leftovers). */
  readonly dropped: Fixed;
  readonly executions: readonly Execution[];
  /** The order as it now rests in the book, when something of it is left (GTC). */
  readonly resting: RestingOrder | undefined;
}

export interface LevelSnapshot {
  readonly price: Fixed;
  readonly totalQuantity: Fixed;
  readonly orderCount: number;
  /** The user address of the order first in time at this price. */
  readonly firstUserAddress: string;
}

/**
 * A price-time priority order book. No self-trade prevention: Matchingo has none, and the
 * trade log is where a market maker's self-trades must show up.
 */
export class OrderBook {
  readonly name: string;
  readonly createdAt: Date;
  readonly bids = new BookSide("buy");
  readonly asks = new BookSide("sell");
  private readonly orders = new Map<string, RestingOrder>();
  /**
   * CreateOrders this book has accepted since it was made: what Matchingo reports as
   * `order_count` (it counts creates and never subtracts fills or cancels).
   */
  acceptedOrders = 0;

  constructor(name: string, createdAt: Date) {
    this.name = name;
    this.createdAt = createdAt;
  }

  get size(): number {
    return this.orders.size;
  }

  has(orderId: string): boolean {
    return this.orders.has(orderId);
  }

  get(orderId: string): RestingOrder | undefined {
    return this.orders.get(orderId);
  }

  liveOrders(): IterableIterator<RestingOrder> {
    return this.orders.values();
  }

  /** Matches, then rests what a GTC limit order has left. The id must not be live. */
  submit(order: IncomingOrder, now: Date): SubmitResult {
    if (this.orders.has(order.id)) throw new Error(`order ${order.id} is already live`);
    const opposite = order.side === "buy" ? this.asks : this.bids;
    const crosses = (price: Fixed): boolean =>
      order.kind === "market" ||
      (order.side === "buy" ? price <= order.price : price >= order.price);

    if (order.timeInForce === "FOK" && !this.canFill(opposite, order.quantity, crosses)) {
      return { filled: 0n, dropped: order.quantity, executions: [], resting: undefined };
    }

    const executions: Execution[] = [];
    let remaining = order.quantity;
    while (remaining > 0n) {
      const level = opposite.best();
      if (!level || !crosses(level.price)) break;
      const maker = level.head!;
      const quantity = minFixed(remaining, maker.remaining);
      remaining -= quantity;
      level.reduce(maker, quantity);
      maker.updatedAt = now;
      executions.push({
        makerOrderId: maker.id,
        makerUserAddress: maker.userAddress,
        makerSide: maker.side,
        price: level.price,
        quantity,
        makerRemaining: maker.remaining,
      });
      if (maker.remaining === 0n) {
        opposite.remove(maker);
        this.orders.delete(maker.id);
      }
    }

    const filled = order.quantity - remaining;
    if (remaining === 0n || order.kind === "market" || order.timeInForce !== "GTC") {
      return { filled, dropped: remaining, executions, resting: undefined };
    }
    const resting: RestingOrder = {
      id: order.id,
      side: order.side,
      price: order.price,
      quantity: order.quantity,
      remaining,
      userAddress: order.userAddress,
      createdAt: now,
      updatedAt: now,
      prev: undefined,
      next: undefined,
    };
    (order.side === "buy" ? this.bids : this.asks).add(resting);
    this.orders.set(order.id, resting);
    return { filled, dropped: 0n, executions, resting };
  }

  cancel(orderId: string): RestingOrder | undefined {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    (order.side === "buy" ? this.bids : this.asks).remove(order);
    this.orders.delete(orderId);
    return order;
  }

  /** The best `depth` levels of a side, best first. */
  depth(side: Side, depth: number): LevelSnapshot[] {
    const levels: LevelSnapshot[] = [];
    for (const level of (side === "buy" ? this.bids : this.asks).levelsBestFirst()) {
      if (levels.length >= depth) break;
      levels.push({
        price: level.price,
        totalQuantity: level.total,
        orderCount: level.count,
        firstUserAddress: level.head?.userAddress ?? "",
      });
    }
    return levels;
  }

  private canFill(
    opposite: BookSide,
    quantity: Fixed,
    crosses: (price: Fixed) => boolean,
  ): boolean {
    let available = 0n;
    for (const level of opposite.levelsBestFirst()) {
      if (!crosses(level.price)) return false;
      available += level.total;
      if (available >= quantity) return true;
    }
    return false;
  }
}
