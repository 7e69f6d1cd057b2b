import type { IncomingOrder } from "../src/book.ts";
import { type Fixed, minFixed } from "../src/fixed-point.ts";

interface NaiveOrder {
  id: string;
  side: "buy" | "sell";
  price: Fixed;
  remaining: Fixed;
  userAddress: string;
  seq: number;
}

export interface NaiveExecution {
  makerOrderId: string;
  price: Fixed;
  quantity: Fixed;
}

/**
 * The obvious order book: one array per side, re-sorted after every insert, searched linearly
 * on cancel. The benchmark's baseline, and the reference model the real book is checked against.
 */
export class NaiveBook {
  private bids: NaiveOrder[] = [];
  private asks: NaiveOrder[] = [];
  private seq = 0;

  has(id: string): boolean {
    return this.bids.some((o) => o.id === id) || this.asks.some((o) => o.id === id);
  }

  submit(order: IncomingOrder): { filled: Fixed; executions: NaiveExecution[]; rested: boolean } {
    const opposite = order.side === "buy" ? this.asks : this.bids;
    const crosses = (price: Fixed) =>
      order.kind === "market" ||
      (order.side === "buy" ? price <= order.price : price >= order.price);
    if (order.timeInForce === "FOK") {
      const available = opposite
        .filter((o) => crosses(o.price))
        .reduce((sum, o) => sum + o.remaining, 0n);
      if (available < order.quantity) return { filled: 0n, executions: [], rested: false };
    }
    const executions: NaiveExecution[] = [];
    let remaining = order.quantity;
    while (remaining > 0n && opposite.length > 0 && crosses(opposite[0]!.price)) {
      const maker = opposite[0]!;
      const quantity = minFixed(remaining, maker.remaining);
      maker.remaining -= quantity;
      remaining -= quantity;
      executions.push({ makerOrderId: maker.id, price: maker.price, quantity });
      if (maker.remaining === 0n) opposite.shift();
    }
    const rests = remaining > 0n && order.kind === "limit" && order.timeInForce === "GTC";
    if (rests) {
      const side = order.side === "buy" ? this.bids : this.asks;
      side.push({
        id: order.id,
        side: order.side,
        price: order.price,
        remaining,
        userAddress: order.userAddress,
        seq: this.seq++,
      });
      side.sort(order.side === "buy" ? byBidPriority : byAskPriority);
    }
    return { filled: order.quantity - remaining, executions, rested: rests };
  }

  cancel(id: string): boolean {
    for (const side of [this.bids, this.asks]) {
      const index = side.findIndex((o) => o.id === id);
      if (index >= 0) {
        side.splice(index, 1);
        return true;
      }
    }
    return false;
  }

  /** Levels best first: [price, total remaining, order count, first user]. */
  depth(side: "buy" | "sell"): Array<[Fixed, Fixed, number, string]> {
    const levels: Array<[Fixed, Fixed, number, string]> = [];
    for (const order of side === "buy" ? this.bids : this.asks) {
      const last = levels[levels.length - 1];
      if (last && last[0] === order.price) {
        last[1] += order.remaining;
        last[2]++;
      } else {
        levels.push([order.price, order.remaining, 1, order.userAddress]);
      }
    }
    return levels;
  }
}

function byBidPriority(a: NaiveOrder, b: NaiveOrder): number {
  return a.price === b.price ? a.seq - b.seq : a.price > b.price ? -1 : 1;
}

function byAskPriority(a: NaiveOrder, b: NaiveOrder): number {
  return a.price === b.price ? a.seq - b.seq : a.price < b.price ? -1 : 1;
}
