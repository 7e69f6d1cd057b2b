import type { Fixed } from "./fixed-point.ts";

export type Side = "buy" | "sell";

/** A live order resting in the book. Mutable on purpose: matching updates it in place. */
export interface RestingOrder {
  readonly id: string;
  readonly side: Side;
  readonly price: Fixed;
  readonly quantity: Fixed;
  remaining: Fixed;
  readonly userAddress: string;
  readonly createdAt: Date;
  updatedAt: Date;
  /** Intrusive FIFO links, so a cancel unlinks in O(1) without searching its level. */
  prev: RestingOrder | undefined;
  next: RestingOrder | undefined;
}

/** All orders at one price, oldest first (time priority). */
export class PriceLevel {
  readonly price: Fixed;
  head: RestingOrder | undefined;
  tail: RestingOrder | undefined;
  count = 0;
  total: Fixed = 0n;

  constructor(price: Fixed) {
    this.price = price;
  }

  append(order: RestingOrder): void {
    order.prev = this.tail;
    order.next = undefined;
    if (this.tail) this.tail.next = order;
    else this.head = order;
    this.tail = order;
    this.count++;
    this.total += order.remaining;
  }

  unlink(order: RestingOrder): void {
    if (order.prev) order.prev.next = order.next;
    else this.head = order.next;
    if (order.next) order.next.prev = order.prev;
    else this.tail = order.prev;
    order.prev = undefined;
    order.next = undefined;
    this.count--;
    this.total -= order.remaining;
  }

  /** Takes `quantity` off an order of this level (a partial or full fill). */
  reduce(order: RestingOrder, quantity: Fixed): void {
    order.remaining -= quantity;
    this.total -= quantity;
  }

  *orders(): IterableIterator<RestingOrder> {
    for (let order = this.head; order; order = order.next) yield order;
  }
}

/**
 * One side of a book: price levels kept sorted worst-to-best in an array, so the best level is
 * the last element (matching pops it in O(1)) and a new level is placed by binary search plus
 * one splice, never by re-sorting. A Map finds the level of a price in O(1).
 */
export class BookSide {
  readonly side: Side;
  private readonly prices: Fixed[] = [];
  private readonly levels = new Map<Fixed, PriceLevel>();

  constructor(side: Side) {
    this.side = side;
  }

  get levelCount(): number {
    return this.prices.length;
  }

  best(): PriceLevel | undefined {
    const price = this.prices[this.prices.length - 1];
    return price === undefined ? undefined : this.levels.get(price);
  }

  add(order: RestingOrder): void {
    let level = this.levels.get(order.price);
    if (!level) {
      level = new PriceLevel(order.price);
      this.levels.set(order.price, level);
      this.prices.splice(this.insertionIndex(order.price), 0, order.price);
    }
    level.append(order);
  }

  remove(order: RestingOrder): void {
    const level = this.levels.get(order.price);
    if (!level) return;
    level.unlink(order);
    if (level.count === 0) this.dropLevel(level.price);
  }

  reduce(order: RestingOrder, quantity: Fixed): void {
    this.levels.get(order.price)?.reduce(order, quantity);
  }

  /** Levels from the best price outwards. Do not add or remove levels while iterating. */
  *levelsBestFirst(): IterableIterator<PriceLevel> {
    for (let i = this.prices.length - 1; i >= 0; i--) {
      const level = this.levels.get(this.prices[i]!);
      if (level) yield level;
    }
  }

  /** True when `a` is a worse price than `b` for this side (lower bid, higher ask). */
  private worse(a: Fixed, b: Fixed): boolean {
    return this.side === "buy" ? a < b : a > b;
  }

  /** First index whose price is not worse than `price`: where a new level belongs. */
  private insertionIndex(price: Fixed): number {
    let low = 0;
    let high = this.prices.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.worse(this.prices[mid]!, price)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private dropLevel(price: Fixed): void {
    this.levels.delete(price);
    const last = this.prices.length - 1;
    if (this.prices[last] === price) {
      this.prices.pop();
      return;
    }
    const index = this.insertionIndex(price);
    if (this.prices[index] === price) this.prices.splice(index, 1);
  }
}
