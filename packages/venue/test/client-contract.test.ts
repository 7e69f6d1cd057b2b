// Our client against our venue over real gRPC on loopback: the two halves of the wire
// contract must agree (grpc-client's own suite uses purpose-built fault servers instead).
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import { afterEach, describe, expect, it } from "vitest";
import { startVenue, type Venue } from "../src/index.ts";

let venue: Venue | undefined;
let client: MatchingoClient | undefined;

afterEach(async () => {
  client?.close();
  await venue?.close();
  client = undefined;
  venue = undefined;
});

async function setUp(): Promise<{ venue: Venue; client: MatchingoClient }> {
  venue = await startVenue();
  client = createMatchingoClient({ address: venue.address, userAddress: "mm-contract" });
  return { venue, client };
}

const bid = (orderId: string, price = "100.5", quantity = "2") =>
  ({ book: "BTC-USDT", orderId, side: "buy", price, quantity }) as const;

describe("grpc-client against the embedded venue", () => {
  it("creates a book, places, reads, lists and cancels with every answer typed", async () => {
    const { venue, client } = await setUp();

    expect((await client.ensureOrderBook("BTC-USDT")).created).toBe(true);
    expect((await client.ensureOrderBook("BTC-USDT")).created).toBe(false);

    const placed = await client.placeOrder(bid("b-1"));
    expect(placed).toMatchObject({ orderId: "b-1", status: "open", alreadyPlaced: false });
    expect(venue.liveOrders("BTC-USDT")).toEqual([
      expect.objectContaining({ orderId: "b-1", price: "100.500", userAddress: "mm-contract" }),
    ]);

    expect(await client.getOrder("BTC-USDT", "b-1")).toEqual({
      state: "live",
      filledQuantity: "0",
      remainingQuantity: "2.000",
    });
    const state = await client.getOrderBookState("BTC-USDT");
    expect(state.bids).toEqual([
      expect.objectContaining({ price: "100.500", totalQuantity: "2.000", orderCount: 1 }),
    ]);
    expect((await client.getBook("BTC-USDT"))?.orderCount).toBe(1);
    const names = (await client.listOrderBooks()).books.map((book) => book.name);
    expect(names.sort()).toEqual(["BTC-USDT", "test"]);

    expect(await client.cancelOrder("BTC-USDT", "b-1")).toBe("canceled");
    expect(await client.cancelOrder("BTC-USDT", "b-1")).toBe("already-gone");
    expect(await client.getOrder("BTC-USDT", "b-1")).toEqual({ state: "gone" });
    expect(venue.liveOrders("BTC-USDT")).toEqual([]);
  });

  it("tells a missing book from a missing order, and a live id from a new one", async () => {
    const { client } = await setUp();
    await expect(client.cancelOrder("nope", "x")).rejects.toMatchObject({
      kind: "book-not-found",
    });
    expect(await client.getBook("nope")).toBeUndefined();

    await client.placeOrder({ ...bid("dup"), book: "test" });
    await expect(client.placeOrder({ ...bid("dup"), book: "test" })).rejects.toMatchObject({
      name: "VenueError",
      kind: "already-exists",
    });
  });

  it("records a self-trade when our own orders cross, with both user addresses", async () => {
    const { venue, client } = await setUp();
    await client.placeOrder({ ...bid("maker"), book: "test" });
    const taker = await client.placeOrder({
      book: "test",
      orderId: "taker",
      side: "sell",
      price: "100",
      quantity: "2",
    });
    expect(taker.status).toBe("filled");
    expect(venue.trades("test")).toEqual([
      expect.objectContaining({
        takerOrderId: "taker",
        makerOrderId: "maker",
        takerUserAddress: "mm-contract",
        makerUserAddress: "mm-contract",
        price: "100.500",
        quantity: "2.000",
      }),
    ]);
  });

  it("keeps working with the same client object after the venue restarts on its port", async () => {
    const first = await setUp();
    const port = first.venue.port;
    await first.client.placeOrder({ ...bid("before"), book: "test" });
    await first.venue.close();

    await expect(first.client.getOrder("test", "before")).rejects.toMatchObject({
      kind: "unavailable",
    });

    venue = await startVenue({ port });
    // The channel reconnects within its back-off (at most 2 s); then the same object works.
    // The restarted venue lost every order, as a real Matchingo does.
    await expect
      .poll(() => first.client.getOrder("test", "before").catch((error) => error.kind), {
        timeout: 5_000,
        interval: 100,
      })
      .toEqual({ state: "gone" });
    await first.client.placeOrder({ ...bid("after"), book: "test" });
    expect(venue.liveOrders("test").map((order) => order.orderId)).toEqual(["after"]);
  });
});
