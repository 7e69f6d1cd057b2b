/**
 * What the real Matchingo itself says about a book, for tests that must not take the runner's
 * word for anything: the server logs every request it receives on stderr (one JSON line,
 * `"message":"Request received"`, with method, book, order id, side, price, quantity and
 * user), and answers GetOrder. Orders are found in the former and their state asked with the
 * latter. GetOrderBookState is avoided while anyone trades: a cancel that empties a level
 * while it reads can panic the server (see the venue README).
 */

import {
  compare,
  formatDecimal,
  normalize,
  type OrderStatus,
  parseDecimal,
  VenueError,
} from "@matchingo-mm/core";
import type { MatchingoClient } from "@matchingo-mm/grpc-client";

export interface VenueRequest {
  /** Order of arrival in the server's log (0, 1, ...). */
  readonly seq: number;
  readonly method: string;
  readonly book: string;
  readonly orderId?: string;
  readonly side?: "buy" | "sell";
  readonly price?: string;
  readonly quantity?: string;
  readonly user?: string;
}

export interface LiveOrder {
  readonly orderId: string;
  readonly side: "buy" | "sell";
  /** As sent in the CreateOrder request. */
  readonly price: string;
  readonly remaining: string;
}

/** `49975.000` and `49975` are the same price. */
export const samePrice = (price: string): string => formatDecimal(normalize(parseDecimal(price)));

/** The request one line of the server's output logs, or undefined for any other line. */
export function parseRequest(text: string, seq: number): VenueRequest | undefined {
  if (!text.includes('"Request received"')) return undefined;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // A line cut by the interleaving of stdout and stderr chunks.
  }
  const str = (key: string) => (typeof line[key] === "string" ? String(line[key]) : undefined);
  const side = str("side");
  return {
    seq,
    method: str("method") ?? "",
    book: str("order_book") ?? str("name") ?? "",
    orderId: str("order_id"),
    side: side === "BUY" ? "buy" : side === "SELL" ? "sell" : undefined,
    price: str("price"),
    quantity: str("quantity"),
    user: str("user_address"),
  };
}

/**
 * Every request the server logged, in order (fed line by line as the server prints them: its
 * `output()` keeps only the last few MiB), and GetOrder through `client`.
 */
export class VenueView {
  /** Ids the venue answered "not found" for: gone is final (ids are never reused). */
  private readonly gone = new Set<string>();
  private readonly all: VenueRequest[] = [];

  constructor(private readonly client: () => MatchingoClient) {}

  /** One line of the server's output. */
  record(line: string): void {
    const request = parseRequest(line, this.all.length);
    if (request) this.all.push(request);
  }

  private syncs = 0;

  /**
   * Waits until everything the server logged before now is recorded: its log line for a
   * request may come after the answer, so a check that something is NOT in the log first asks
   * for a marker (GetOrder of an id nobody uses) and waits for that marker's line.
   */
  async sync(book: string): Promise<void> {
    const marker = `log-sync-${++this.syncs}`;
    await this.orderState(book, marker);
    const giveUpAt = Date.now() + 10_000;
    while (!this.all.some((request) => request.orderId === marker)) {
      if (Date.now() > giveUpAt) throw new Error(`the server's log line for ${marker} never came`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  requests(book: string): VenueRequest[] {
    return this.all.filter((request) => request.book === book);
  }

  /** The CreateOrder requests of `user` on `book`, in order. */
  creates(book: string, user: string): VenueRequest[] {
    return this.requests(book).filter(
      (request) => request.method === "CreateOrder" && request.user === user,
    );
  }

  /** Every order `user` created on `book` that the venue still holds (GetOrder each). */
  async live(book: string, user: string): Promise<LiveOrder[]> {
    const live: LiveOrder[] = [];
    for (const create of this.creates(book, user)) {
      const id = create.orderId!;
      if (this.gone.has(id)) continue;
      const status = await this.orderState(book, id);
      if (status.state === "gone") {
        this.gone.add(id);
        continue;
      }
      live.push({
        orderId: id,
        side: create.side!,
        price: create.price!,
        remaining: status.remainingQuantity,
      });
    }
    return live;
  }

  /**
   * GetOrder, where a missing book (a venue restarted empty, before anyone re-created it)
   * also means the order is gone.
   */
  async orderState(book: string, orderId: string): Promise<OrderStatus> {
    try {
      return await this.client().getOrder(book, orderId);
    } catch (error) {
      if (error instanceof VenueError && error.kind === "book-not-found") return { state: "gone" };
      throw error;
    }
  }

  /** `user`'s live orders on `book` as `price remaining`, bids best first, asks best first. */
  async ladder(book: string, user: string): Promise<{ bids: string[]; asks: string[] }> {
    const live = await this.live(book, user);
    const side = (which: "buy" | "sell") =>
      live
        .filter((order) => order.side === which)
        .sort((a, b) => {
          const order = compare(parseDecimal(a.price), parseDecimal(b.price));
          return which === "buy" ? -order : order;
        })
        .map((order) => `${order.price} ${samePrice(order.remaining)}`);
    return { bids: side("buy"), asks: side("sell") };
  }
}
