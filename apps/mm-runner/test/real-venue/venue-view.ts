/**
 * What the real Matchingo itself says about a book, for tests that must not take the runner's
 * word for anything: the server logs every request it receives on stderr (one JSON line,
 * `"message":"Request received"`, with method, book, order id, side, price, quantity and
 * user), and answers GetOrder. Orders are found in the former and their state asked with the
 * latter. GetOrderBookState is avoided while anyone trades: a cancel that empties a level
 * while it reads can panic the server (see the venue README).
 */

import { compare, formatDecimal, normalize, parseDecimal } from "@matchingo-mm/core";
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

/** Every request the server logged in `output`, in order. */
export function parseRequests(output: string): VenueRequest[] {
  const requests: VenueRequest[] = [];
  for (const text of output.split("\n")) {
    if (!text.includes('"Request received"')) continue;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue; // A line cut by the interleaving of stdout and stderr chunks.
    }
    const str = (key: string) => (typeof line[key] === "string" ? String(line[key]) : undefined);
    const side = str("side");
    requests.push({
      seq: requests.length,
      method: str("method") ?? "",
      book: str("order_book") ?? str("name") ?? "",
      orderId: str("order_id"),
      side: side === "BUY" ? "buy" : side === "SELL" ? "sell" : undefined,
      price: str("price"),
      quantity: str("quantity"),
      user: str("user_address"),
    });
  }
  return requests;
}

export class VenueView {
  /** Ids the venue answered "not found" for: gone is final (ids are never reused). */
  private readonly gone = new Set<string>();

  constructor(
    private readonly output: () => string,
    private readonly client: MatchingoClient,
  ) {}

  requests(book: string): VenueRequest[] {
    return parseRequests(this.output()).filter((request) => request.book === book);
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
      const status = await this.client.getOrder(book, id);
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
