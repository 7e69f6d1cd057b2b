import { callListener } from "@matchingo-mm/core";
import { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import { type IncomingOrder, OrderBook, type SubmitResult } from "./book.ts";
import { formatFixed } from "./fixed-point.ts";
import type { RestingOrder } from "./price-levels.ts";
import type {
  VenueBookInfo,
  VenueEvent,
  VenueEventListener,
  VenueOrder,
  VenueOrderStatus,
  VenueTrade,
} from "./types.ts";

export interface ExchangeOptions {
  readonly now?: () => Date;
  /** The trade log keeps the most recent this many trades (a long sandbox run must not grow forever). */
  readonly maxTrades?: number;
  /** A listener threw: the venue carries on, this hears about it. */
  readonly onListenerError?: (error: unknown, event: VenueEvent) => void;
  /**
   * After every order that traded, the `DoneMessage` Matchingo would publish to Kafka: one
   * entry for the taker (its traded total at its own price) and one per maker order hit.
   */
  readonly onDone?: (message: DoneMessage) => void;
}

/**
 * 10,000 trades, about 4 MiB. It was 100,000 (~40 MiB): a long-running sandbox's venue grew by
 * that much over its first hours of taker flow before the bound held (issue 26).
 */
export const DEFAULT_MAX_TRADES = 10_000;

/** What Matchingo publishes for an order that traded (see matchingo-api.md, "Kafka"). */
function doneMessageOf(order: IncomingOrder, result: SubmitResult): DoneMessage {
  const limit = order.kind === "limit" ? formatFixed(order.price) : "";
  const remaining = result.resting?.remaining ?? 0n;
  return DoneMessage.fromPartial({
    orderId: order.id,
    executedQuantity: formatFixed(result.filled),
    remainingQuantity: formatFixed(remaining),
    trades: [
      {
        orderId: order.id,
        role: "TAKER",
        price: limit,
        quantity: formatFixed(result.filled),
        isQuote: false,
        userAddress: order.userAddress,
      },
      ...result.executions.map((execution) => ({
        orderId: execution.makerOrderId,
        role: "MAKER",
        price: formatFixed(execution.price),
        quantity: formatFixed(execution.quantity),
        isQuote: false,
        userAddress: execution.makerUserAddress,
      })),
    ],
    stored: result.resting !== undefined,
    quantity: formatFixed(order.quantity),
    processed: formatFixed(result.filled),
    left: formatFixed(remaining),
    userAddress: order.userAddress,
  });
}

/** The venue's state without the wire: its books, trade log and event stream. */
export class Exchange {
  private readonly books = new Map<string, OrderBook>();
  private tradeLog: VenueTrade[] = [];
  private readonly listeners = new Set<VenueEventListener>();
  private readonly now: () => Date;
  private readonly maxTrades: number;
  private readonly onListenerError: ((error: unknown, event: VenueEvent) => void) | undefined;

  constructor(options: ExchangeOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.maxTrades = options.maxTrades ?? DEFAULT_MAX_TRADES;
    this.onListenerError = options.onListenerError;
    this.onDone = options.onDone;
  }

  private readonly onDone: ((message: DoneMessage) => void) | undefined;

  clock(): Date {
    return this.now();
  }

  /** Undefined when a book of that name exists already. */
  createBook(name: string): OrderBook | undefined {
    if (this.books.has(name)) return undefined;
    const book = new OrderBook(name, this.now());
    this.books.set(name, book);
    this.emit({ type: "book-created", book: name, time: book.createdAt });
    return book;
  }

  book(name: string): OrderBook | undefined {
    return this.books.get(name);
  }

  deleteBook(name: string): boolean {
    const book = this.books.get(name);
    if (!book) return false;
    this.books.delete(name);
    this.emit({ type: "book-deleted", book: name, droppedOrders: book.size, time: this.now() });
    return true;
  }

  /** Books in creation order. */
  allBooks(): OrderBook[] {
    return [...this.books.values()];
  }

  bookInfos(): VenueBookInfo[] {
    return this.allBooks().map((book) => ({
      name: book.name,
      backendType: "memory",
      createdAt: book.createdAt,
      orderCount: book.size,
    }));
  }

  submit(book: OrderBook, order: IncomingOrder): SubmitResult & { time: Date } {
    const time = this.now();
    const result = book.submit(order, time);
    book.acceptedOrders++;
    for (const execution of result.executions) {
      const trade: VenueTrade = {
        book: book.name,
        takerOrderId: order.id,
        makerOrderId: execution.makerOrderId,
        takerUserAddress: order.userAddress,
        makerUserAddress: execution.makerUserAddress,
        takerSide: order.side,
        price: formatFixed(execution.price),
        quantity: formatFixed(execution.quantity),
        time,
      };
      this.recordTrade(trade);
      this.emit({ type: "trade", ...trade });
    }
    if (this.onDone && result.executions.length > 0) {
      try {
        this.onDone(doneMessageOf(order, result));
      } catch {
        // The trade stream's trouble is not the order's: it matched.
      }
    }
    this.emit({
      type: "order-created",
      book: book.name,
      orderId: order.id,
      side: order.side,
      orderType: order.kind,
      timeInForce: order.timeInForce,
      price: order.kind === "limit" ? formatFixed(order.price) : "",
      quantity: formatFixed(order.quantity),
      filledQuantity: formatFixed(result.filled),
      restingQuantity: formatFixed(result.resting?.remaining ?? 0n),
      status: statusOf(order.quantity, result.filled),
      userAddress: order.userAddress,
      time,
    });
    return { ...result, time };
  }

  cancel(book: OrderBook, orderId: string): RestingOrder | undefined {
    const order = book.cancel(orderId);
    if (order) {
      this.emit({
        type: "order-canceled",
        book: book.name,
        orderId,
        remainingQuantity: formatFixed(order.remaining),
        userAddress: order.userAddress,
        time: this.now(),
      });
    }
    return order;
  }

  liveOrders(bookName?: string): VenueOrder[] {
    const books = bookName === undefined ? this.allBooks() : [this.books.get(bookName)];
    const orders: VenueOrder[] = [];
    for (const book of books) {
      if (!book) continue;
      for (const order of book.liveOrders()) orders.push(toVenueOrder(book.name, order));
    }
    return orders;
  }

  trades(bookName?: string): VenueTrade[] {
    return bookName === undefined
      ? [...this.tradeLog]
      : this.tradeLog.filter((trade) => trade.book === bookName);
  }

  /** Trades in the log now (at most `maxTrades` plus a tenth before a trim). */
  tradeCount(): number {
    return this.tradeLog.length;
  }

  onEvent(listener: VenueEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: VenueEvent): void {
    for (const listener of this.listeners) {
      callListener(listener, event, (error) => this.onListenerError?.(error, event));
    }
  }

  private recordTrade(trade: VenueTrade): void {
    this.tradeLog.push(trade);
    // Trim in batches so a full log costs one copy per ~10% of new trades, not one per trade.
    if (this.tradeLog.length > this.maxTrades + Math.ceil(this.maxTrades / 10)) {
      this.tradeLog = this.tradeLog.slice(-this.maxTrades);
    }
  }
}

export function statusOf(quantity: bigint, filled: bigint): VenueOrderStatus {
  if (filled === 0n) return "OPEN";
  return filled >= quantity ? "FILLED" : "PARTIALLY_FILLED";
}

export function toVenueOrder(book: string, order: RestingOrder): VenueOrder {
  return {
    book,
    orderId: order.id,
    side: order.side,
    price: formatFixed(order.price),
    quantity: formatFixed(order.quantity),
    remainingQuantity: formatFixed(order.remaining),
    filledQuantity: formatFixed(order.quantity - order.remaining),
    userAddress: order.userAddress,
    createdAt: order.createdAt,
  };
}
