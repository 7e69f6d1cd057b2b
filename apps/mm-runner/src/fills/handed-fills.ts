import type { TradeFill } from "@matchingo-mm/core";
import type { StreamTrade } from "@matchingo-mm/grpc-client/trade-stream";

/**
 * The fills a trade stream handed to workers and the ledger has not booked yet, by key: a
 * worker that restarts before booking one is handed it again. Both streams (Kafka and the
 * embedded venue's) keep theirs here, so a fill is built and routed one way.
 */
export class HandedFills {
  readonly #byKey = new Map<string, { readonly symbol: string; readonly fill: TradeFill }>();
  readonly #deliver: (symbol: string, fill: TradeFill) => boolean;

  constructor(deliver: (symbol: string, fill: TradeFill) => boolean) {
    this.#deliver = deliver;
  }

  get size(): number {
    return this.#byKey.size;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** Hands `trade` to `symbol`'s worker as the fill named `key`, kept until settled. */
  hand(symbol: string, trade: StreamTrade, key: string, receivedAt: number): void {
    const fill: TradeFill = {
      orderId: trade.orderId,
      role: trade.role,
      price: trade.price,
      quantity: trade.quantity,
      key,
      receivedAt,
    };
    this.#byKey.set(key, { symbol, fill });
    this.#deliver(symbol, fill);
  }

  settle(key: string): void {
    this.#byKey.delete(key);
  }

  /** Hands `symbol`'s unsettled fills again, but those `booked` says the ledger has (settled). */
  redeliver(symbol: string, booked: (key: string) => boolean = () => false): string[] {
    const settled: string[] = [];
    for (const [key, entry] of this.#byKey) {
      if (entry.symbol !== symbol) continue;
      if (booked(key)) {
        settled.push(key);
        continue;
      }
      this.#deliver(symbol, entry.fill);
    }
    return settled;
  }
}
