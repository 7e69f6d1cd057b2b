import type { OrderGateway } from "@matchingo-mm/core";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  type CreateOrderRequest,
  OrderSide,
  OrderType,
  TimeInForce,
} from "../src/gen/orderbook.ts";
import { createMatchingoClient, type MatchingoClient, type RpcInfo } from "../src/index.ts";
import { FakeVenue } from "./support/fake-venue.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

let venue: FakeVenue;
let server: TestServer;
let client: MatchingoClient;
let rpcs: RpcInfo[];

beforeEach(async () => {
  venue = new FakeVenue();
  server = await startTestServer(venue.implementation);
  rpcs = [];
  client = createMatchingoClient({
    address: server.address,
    userAddress: "mm-1",
    metadata: { authorization: "Bearer client-token" },
    onRpc: (info) => rpcs.push(info),
  });
});

afterEach(async () => {
  client.close();
  await server.close();
});

describe("every rpc round-trips over real gRPC on 127.0.0.1", () => {
  it("is core's OrderGateway", () => {
    expectTypeOf(client).toExtend<OrderGateway>();
    const gateway: OrderGateway = client;
    expect(typeof gateway.placeOrder).toBe("function");
  });

  it("CreateOrderBook, GetOrderBook, ListOrderBooks, DeleteOrderBook", async () => {
    const created = await client.createOrderBook("btc");
    expect(created).toMatchObject({ name: "btc", backend: "memory", orderCount: 0 });
    expect(created.createdAt).toBe(venue.books.get("btc")?.createdAt.getTime());

    expect(await client.getBook("btc")).toEqual(created);
    expect(await client.getBook("nope")).toBeUndefined();

    const page = await client.listOrderBooks({ limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.books.map((book) => book.name)).toEqual(["test"]);
    expect(venue.lastCall("ListOrderBooks")?.request).toEqual({ limit: 1, offset: 1 });

    expect(await client.deleteOrderBook("btc")).toBe("deleted");
    expect(await client.deleteOrderBook("btc")).toBe("already-gone");
    expect(venue.books.has("btc")).toBe(false);
  });

  it("ensureOrderBook creates once, then finds it", async () => {
    expect(await client.ensureOrderBook("eth")).toMatchObject({
      created: true,
      book: { name: "eth" },
    });
    expect(await client.ensureOrderBook("eth")).toMatchObject({
      created: false,
      book: { name: "eth" },
    });
    expect(venue.calls("CreateOrderBook")).toBe(2);
    await expect(client.createOrderBook("eth")).rejects.toMatchObject({ kind: "already-exists" });
  });

  it("CreateOrder sends a LIMIT GTC order with our user_address; GetOrder; CancelOrder", async () => {
    const placed = await client.placeOrder({
      book: "test",
      orderId: "o-1",
      side: "sell",
      price: "50010.5",
      quantity: "0.010",
    });
    expect(placed).toEqual({
      orderId: "o-1",
      status: "open",
      filledQuantity: "0",
      remainingQuantity: "0.010",
      alreadyPlaced: false,
    });
    const sent = venue.lastCall("CreateOrder")?.request as CreateOrderRequest;
    expect(sent).toEqual({
      orderBookName: "test",
      orderId: "o-1",
      side: OrderSide.SELL,
      quantity: "0.010",
      price: "50010.5",
      orderType: OrderType.LIMIT,
      timeInForce: TimeInForce.GTC,
      stopPrice: "",
      ocoId: "",
      userAddress: "mm-1",
    });

    expect(await client.getOrder("test", "o-1")).toEqual({
      state: "live",
      filledQuantity: "0",
      remainingQuantity: "0.010",
    });
    const details = await client.getOrderDetails("test", "o-1");
    expect(details).toMatchObject({
      book: "test",
      orderId: "o-1",
      side: "sell",
      type: "limit",
      timeInForce: "gtc",
      status: "open",
      price: "50010.5",
      quantity: "0.010",
      userAddress: "mm-1",
      fills: [{ price: "50010.5", quantity: "0" }],
    });
    expect(typeof details?.createdAt).toBe("number");

    expect(await client.cancelOrder("test", "o-1")).toBe("canceled");
    expect(await client.getOrder("test", "o-1")).toEqual({ state: "gone" });
    expect(await client.getOrderDetails("test", "o-1")).toBeUndefined();
  });

  it("GetOrderBookState: typed levels with decimal strings, best first, depth passed", async () => {
    const orders = [
      ["b1", "buy", "99.5", "1"],
      ["b2", "buy", "100", "0.5"],
      ["b3", "buy", "100", "0.25"],
      ["a1", "sell", "101", "2"],
      ["a2", "sell", "100.5", "1.5"],
    ] as const;
    for (const [orderId, side, price, quantity] of orders) {
      await client.placeOrder({ book: "test", orderId, side, price, quantity });
    }
    const state = await client.getOrderBookState("test", 5);
    expect(venue.lastCall("GetOrderBookState")?.request).toEqual({ name: "test", depth: 5 });
    expect(state.name).toBe("test");
    expect(state.bids).toEqual([
      { price: "100.000", totalQuantity: "0.750", orderCount: 2, userAddress: "mm-1" },
      { price: "99.500", totalQuantity: "1.000", orderCount: 1, userAddress: "mm-1" },
    ]);
    expect(state.asks.map((level) => level.price)).toEqual(["100.500", "101.000"]);
    expect(typeof state.timestamp).toBe("number");

    await client.getOrderBookState("test");
    expect(venue.lastCall("GetOrderBookState")?.request).toEqual({ name: "test", depth: 0 });
  });

  it("client metadata reaches the server on every rpc; a call's own value replaces it", async () => {
    await client.getBook("test");
    expect(venue.lastCall("GetOrderBook")?.context.metadata.get("authorization")).toBe(
      "Bearer client-token",
    );
    await client.getBook("test", { metadata: { authorization: "Bearer call", "x-trace": "t1" } });
    const metadata = venue.lastCall("GetOrderBook")?.context.metadata;
    expect(metadata?.getAll("authorization")).toEqual(["Bearer call"]);
    expect(metadata?.get("x-trace")).toBe("t1");
  });

  it("onRpc sees each rpc with its method, status and attempt", async () => {
    await client.getBook("test");
    await client.getBook("nope");
    expect(
      rpcs.map(({ method, code, codeName, attempt }) => ({ method, code, codeName, attempt })),
    ).toEqual([
      { method: "GetOrderBook", code: 0, codeName: "OK", attempt: 1 },
      { method: "GetOrderBook", code: 5, codeName: "NOT_FOUND", attempt: 1 },
    ]);
    expect(rpcs.every((info) => info.durationMs >= 0)).toBe(true);
  });

  it("one client serves many callers: a call's own onRpc and user_address", async () => {
    const mine: RpcInfo[] = [];
    await client.placeOrder(
      { book: "test", orderId: "o-2", side: "buy", price: "49990", quantity: "0.010" },
      { userAddress: "mm-2", onRpc: (info) => mine.push(info) },
    );
    await client.getBook("test", { onRpc: (info) => mine.push(info) });
    await client.getBook("test");
    expect(venue.lastCall("CreateOrder")?.request).toMatchObject({ userAddress: "mm-2" });
    // The call's hook sees only its own calls; the client's sees every one.
    expect(mine.map(({ method, codeName }) => `${method} ${codeName}`)).toEqual([
      "CreateOrder OK",
      "GetOrderBook OK",
    ]);
    expect(rpcs.map(({ method }) => method)).toEqual([
      "CreateOrder",
      "GetOrderBook",
      "GetOrderBook",
    ]);
    // A hook that throws breaks nothing.
    await expect(
      client.getBook("test", {
        onRpc: () => {
          throw new Error("metrics broke");
        },
      }),
    ).resolves.toMatchObject({ name: "test" });
  });

  it("the raw nice-grpc client shares the channel and the metadata", async () => {
    const response = await client.raw.getOrderBook({ name: "test" });
    expect(response.name).toBe("test");
    expect(venue.lastCall("GetOrderBook")?.context.metadata.get("authorization")).toBe(
      "Bearer client-token",
    );
  });

  it("after close() calls fail at once without reaching the server", async () => {
    client.close();
    await expect(client.getBook("test")).rejects.toMatchObject({
      name: "VenueError",
      message: expect.stringContaining("client is closed"),
    });
    expect(venue.calls("GetOrderBook")).toBe(0);
  });
});
