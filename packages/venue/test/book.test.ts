import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NaiveBook } from "../bench/naive-book.ts";
import { type IncomingOrder, OrderBook } from "../src/book.ts";

const now = new Date(0);

function limit(
  id: string,
  side: "buy" | "sell",
  price: bigint,
  quantity: bigint,
  timeInForce: IncomingOrder["timeInForce"] = "GTC",
): IncomingOrder {
  return { id, side, kind: "limit", timeInForce, price, quantity, userAddress: `u-${id}` };
}

describe("OrderBook", () => {
  it("keeps levels sorted as they come and go, best first", () => {
    const book = new OrderBook("b", now);
    for (const [i, price] of [5n, 1n, 9n, 3n, 7n, 3n].entries()) {
      book.submit(limit(`b${i}`, "buy", price, 1n), now);
      book.submit(limit(`a${i}`, "sell", price + 100n, 1n), now);
    }
    expect(book.depth("buy", 10).map((l) => l.price)).toEqual([9n, 7n, 5n, 3n, 1n]);
    expect(book.depth("sell", 10).map((l) => l.price)).toEqual([101n, 103n, 105n, 107n, 109n]);
    expect(book.depth("buy", 10)[3]).toMatchObject({ totalQuantity: 2n, orderCount: 2 });

    book.cancel("b4"); // 7
    book.cancel("b3"); // one of the two at 3
    book.cancel("a2"); // 109, the worst ask
    expect(book.depth("buy", 10).map((l) => [l.price, l.orderCount])).toEqual([
      [9n, 1],
      [5n, 1],
      [3n, 1],
      [1n, 1],
    ]);
    expect(book.depth("sell", 2).map((l) => l.price)).toEqual([101n, 103n]);
    expect(book.size).toBe(9);
  });

  it("cancels from the middle of a level without disturbing the others' time priority", () => {
    const book = new OrderBook("b", now);
    for (const id of ["s1", "s2", "s3"]) book.submit(limit(id, "sell", 10n, 1n), now);
    expect(book.cancel("s2")?.id).toBe("s2");
    expect(book.cancel("s2")).toBeUndefined();
    const result = book.submit(limit("t", "buy", 10n, 2n), now);
    expect(result.executions.map((e) => e.makerOrderId)).toEqual(["s1", "s3"]);
    expect(book.size).toBe(0);
    expect(book.depth("sell", 10)).toEqual([]);
  });

  it("refuses an id that is live", () => {
    const book = new OrderBook("b", now);
    book.submit(limit("x", "buy", 1n, 1n), now);
    expect(() => book.submit(limit("x", "buy", 1n, 1n), now)).toThrow("already live");
  });

  it("matches exactly like the naive re-sorting book on random flows (property)", () => {
    const operation = fc.oneof(
      fc.record({
        op: fc.constant("order" as const),
        side: fc.constantFrom("buy" as const, "sell" as const),
        kind: fc.constantFrom("limit" as const, "limit" as const, "market" as const),
        timeInForce: fc.constantFrom(
          "GTC" as const,
          "GTC" as const,
          "IOC" as const,
          "FOK" as const,
        ),
        price: fc.bigInt({ min: 95n, max: 105n }),
        quantity: fc.bigInt({ min: 1n, max: 20n }),
      }),
      fc.record({ op: fc.constant("cancel" as const), target: fc.nat({ max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const book = new OrderBook("b", now);
        const naive = new NaiveBook();
        operations.forEach((operation, i) => {
          if (operation.op === "cancel") {
            const id = `o${operation.target}`;
            expect(book.cancel(id) !== undefined).toBe(naive.cancel(id));
            return;
          }
          const order: IncomingOrder = { id: `o${i}`, userAddress: "u", ...operation };
          const real = book.submit(order, now);
          const model = naive.submit(order);
          expect(real.filled).toBe(model.filled);
          expect(real.resting !== undefined).toBe(model.rested);
          expect(
            real.executions.map((e) => ({
              makerOrderId: e.makerOrderId,
              price: e.price,
              quantity: e.quantity,
            })),
          ).toEqual(model.executions);
        });
        for (const side of ["buy", "sell"] as const) {
          expect(
            book
              .depth(side, 1000)
              .map((l) => [l.price, l.totalQuantity, l.orderCount, l.firstUserAddress]),
          ).toEqual(naive.depth(side));
        }
        const bestBid = book.bids.best()?.price;
        const bestAsk = book.asks.best()?.price;
        if (bestBid !== undefined && bestAsk !== undefined) expect(bestBid < bestAsk).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
