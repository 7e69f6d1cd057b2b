import { BackendType } from "@matchingo-mm/grpc-client/proto";
import { Status } from "nice-grpc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectStatus, limitOrder, startTestVenue, type TestVenue } from "./helpers.ts";

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
});
afterEach(async () => {
  await t.close();
});

describe("GetOrderBookState", () => {
  it("aggregates each level: price, remaining total, order count, first order's user", async () => {
    const { client } = t;
    const place = (
      id: string,
      side: "buy" | "sell",
      price: string,
      quantity: string,
      user: string,
    ) => client.createOrder(limitOrder(id, side, price, quantity, { userAddress: user }));
    await place("b1", "buy", "100", "1", "alice");
    await place("b2", "buy", "100.0", "2.5", "bob");
    await place("b3", "buy", "101", "0.5", "carol");
    await place("b4", "buy", "99.9999", "1", "dave");
    await place("a1", "sell", "103", "1", "erin");
    await place("a2", "sell", "102", "1", "frank");
    await place("a3", "sell", "102", "2", "gus");
    // Take the 101 bid and 0.7 of alice's order off the 100 level, then 0.5 off the 102 asks.
    await place("x1", "sell", "100", "1.2", "taker");
    await place("x2", "buy", "102", "0.5", "taker");

    const state = await client.getOrderBookState({ name: "test" });
    expect(state.name).toBe("test");
    expect(state.timestamp).toBeInstanceOf(Date);
    expect(state.bids).toEqual([
      { price: "100.000", totalQuantity: "2.800", orderCount: 2, userAddress: "alice" },
      { price: "99.999", totalQuantity: "1.000", orderCount: 1, userAddress: "dave" },
    ]);
    expect(state.asks).toEqual([
      { price: "102.000", totalQuantity: "2.500", orderCount: 2, userAddress: "frank" },
      { price: "103.000", totalQuantity: "1.000", orderCount: 1, userAddress: "erin" },
    ]);
  });

  it("treats a depth of zero or less as 10, and otherwise cuts at depth", async () => {
    const { client } = t;
    for (let i = 1; i <= 12; i++) {
      await client.createOrder(limitOrder(`b${i}`, "buy", `${100 - i}`, "1"));
      await client.createOrder(limitOrder(`a${i}`, "sell", `${100 + i}`, "1"));
    }
    const levels = async (depth?: number) => {
      const state = await client.getOrderBookState(
        depth === undefined ? { name: "test" } : { name: "test", depth },
      );
      return [state.bids.length, state.asks.length, state.bids[0]?.price, state.asks[0]?.price];
    };
    expect(await levels()).toEqual([10, 10, "99.000", "101.000"]);
    expect(await levels(0)).toEqual([10, 10, "99.000", "101.000"]);
    expect(await levels(-3)).toEqual([10, 10, "99.000", "101.000"]);
    expect(await levels(3)).toEqual([3, 3, "99.000", "101.000"]);
    expect(await levels(50)).toEqual([12, 12, "99.000", "101.000"]);
    const deep = await client.getOrderBookState({ name: "test", depth: 50 });
    expect(deep.bids.map((l) => l.price)).toEqual(
      Array.from({ length: 12 }, (_, i) => `${99 - i}.000`),
    );
    expect(deep.asks.map((l) => l.price)).toEqual(
      Array.from({ length: 12 }, (_, i) => `${101 + i}.000`),
    );
  });
});

describe("order books", () => {
  it("starts with the in-memory book `test`", async () => {
    const listed = await t.client.listOrderBooks({});
    expect(listed.total).toBe(1);
    expect(listed.orderBooks).toEqual([
      { name: "test", backendType: BackendType.MEMORY, createdAt: expect.any(Date), orderCount: 0 },
    ]);
  });

  it("creates, counts accepted creates, lists with limit and offset, and deletes", async () => {
    const { client, venue } = t;
    const created = await client.createOrderBook({
      name: "BTC-USDT",
      backendType: BackendType.MEMORY,
    });
    expect(created).toEqual({
      name: "BTC-USDT",
      backendType: BackendType.MEMORY,
      createdAt: expect.any(Date),
      orderCount: 0,
    });
    for (const name of ["ETH-USDT", "SOL-USDT"]) await client.createOrderBook({ name });

    await client.createOrder(limitOrder("o1", "buy", "10", "1", { orderBookName: "BTC-USDT" }));
    await client.createOrder(limitOrder("o2", "buy", "10", "1", { orderBookName: "BTC-USDT" }));
    await client.createOrder(limitOrder("o3", "sell", "10", "1", { orderBookName: "BTC-USDT" }));
    const book = await client.getOrderBook({ name: "BTC-USDT" });
    // As Matchingo: the creates it accepted, even those since filled (o1 and o3 traded).
    expect(book.orderCount).toBe(3);
    expect(book.createdAt).toEqual(created.createdAt);

    const page = await client.listOrderBooks({ limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.orderBooks.map((b) => b.name)).toEqual(["BTC-USDT", "ETH-USDT"]);
    expect((await client.listOrderBooks({ offset: 9 })).orderBooks).toEqual([]);
    expect((await client.listOrderBooks({ limit: -1, offset: -5 })).orderBooks).toHaveLength(4);

    // An order id lives per book: the same id in another book is no conflict.
    await client.createOrder(limitOrder("o1", "buy", "10", "1"));
    expect(venue.liveOrders("BTC-USDT").map((o) => o.orderId)).toEqual(["o2"]);
    expect(venue.liveOrders().map((o) => `${o.book}/${o.orderId}`)).toEqual([
      "test/o1",
      "BTC-USDT/o2",
    ]);

    await client.deleteOrderBook({ name: "BTC-USDT" });
    await expectStatus(client.getOrderBook({ name: "BTC-USDT" }), Status.NOT_FOUND);
    expect(venue.liveOrders("BTC-USDT")).toEqual([]);
    expect(venue.books().map((b) => [b.name, b.orderCount])).toEqual([
      ["test", 1],
      ["ETH-USDT", 0],
      ["SOL-USDT", 0],
    ]);
    // A deleted name can be made again, empty.
    expect((await client.createOrderBook({ name: "BTC-USDT" })).orderCount).toBe(0);
  });
});
