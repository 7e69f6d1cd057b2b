import {
  BackendType,
  type OrderSide,
  OrderStatus,
  OrderType,
  type TimeInForce,
} from "@matchingo-mm/grpc-client/proto";
import { Status } from "nice-grpc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VenueEvent } from "../src/index.ts";
import {
  expectStatus,
  limitOrder,
  marketOrder,
  startTestVenue,
  type TestVenue,
} from "./helpers.ts";

let t: TestVenue;
let events: VenueEvent[];
beforeEach(async () => {
  t = await startTestVenue();
  events = [];
  t.venue.onEvent((event) => events.push(event));
});
afterEach(async () => {
  await t.close();
});

describe("errors, exactly where Matchingo gives them", () => {
  it("NOT_FOUND for every call on a book that does not exist", async () => {
    const { client } = t;
    const missing = /^order book nope not found$/;
    const book = { orderBookName: "nope", orderId: "o1" };
    await expectStatus(
      client.createOrder(limitOrder("o1", "buy", "1", "1", book)),
      Status.NOT_FOUND,
      missing,
    );
    await expectStatus(client.getOrder(book), Status.NOT_FOUND, missing);
    await expectStatus(client.cancelOrder(book), Status.NOT_FOUND, missing);
    await expectStatus(client.getOrderBookState({ name: "nope" }), Status.NOT_FOUND, missing);
    await expectStatus(client.getOrderBook({ name: "nope" }), Status.NOT_FOUND, missing);
    await expectStatus(client.deleteOrderBook({ name: "nope" }), Status.NOT_FOUND, missing);
  });

  it("NOT_FOUND for an order that is not live: never seen, cancelled, filled", async () => {
    const { client } = t;
    const ref = (orderId: string) => ({ orderBookName: "test", orderId });
    await expectStatus(client.getOrder(ref("ghost")), Status.NOT_FOUND, "order ghost not found");
    await expectStatus(client.cancelOrder(ref("ghost")), Status.NOT_FOUND);

    await client.createOrder(limitOrder("c", "buy", "10", "1"));
    await client.cancelOrder(ref("c"));
    await expectStatus(client.getOrder(ref("c")), Status.NOT_FOUND);
    await expectStatus(client.cancelOrder(ref("c")), Status.NOT_FOUND);

    await client.createOrder(limitOrder("f", "sell", "10", "1"));
    await client.createOrder(limitOrder("taker", "buy", "10", "1"));
    await expectStatus(client.getOrder(ref("f")), Status.NOT_FOUND);
    await expectStatus(client.cancelOrder(ref("f")), Status.NOT_FOUND);
  });

  it("ALREADY_EXISTS for a live order id and for an existing book", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("dup", "buy", "10", "1"));
    await expectStatus(
      client.createOrder(limitOrder("dup", "sell", "20", "1")),
      Status.ALREADY_EXISTS,
      "order with ID dup already exists",
    );
    await expectStatus(client.createOrder(marketOrder("dup", "sell", "1")), Status.ALREADY_EXISTS);
    expect(venue.liveOrders().map((o) => [o.orderId, o.side])).toEqual([["dup", "buy"]]);
    expect(venue.trades()).toEqual([]);
    await expectStatus(
      client.createOrderBook({ name: "test", backendType: BackendType.MEMORY }),
      Status.ALREADY_EXISTS,
      "order book test already exists",
    );
  });

  it.each([
    ["quantity", "abc"],
    ["quantity", "1e3"],
    ["quantity", ""],
    ["quantity", "1.2.3"],
    ["price", "1,5"],
    ["price", " 100"],
    ["price", ""],
  ])("INVALID_ARGUMENT for an unparsable %s %j, naming field and value", async (field, value) => {
    const order = limitOrder("bad", "buy", "100", "1", { [field]: value });
    await expectStatus(
      t.client.createOrder(order),
      Status.INVALID_ARGUMENT,
      `invalid ${field} "${value}"`,
    );
    expect(t.venue.liveOrders()).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      type: "order-rejected",
      orderId: "bad",
      code: "INVALID_ARGUMENT",
    });
  });

  it.each([
    ["quantity", "0"],
    ["quantity", "0.0004"],
    ["quantity", "-1"],
    ["price", "0"],
    ["price", "0.0009"],
    ["price", "-100"],
  ])(
    "INTERNAL 'nil order' for a limit order with %s %j (zero or less at 3 decimals)",
    async (field, value) => {
      const order = limitOrder("zero", "sell", "100", "1", { [field]: value });
      await expectStatus(
        t.client.createOrder(order),
        Status.INTERNAL,
        /^order creation failed: nil order$/,
      );
      expect(t.venue.liveOrders()).toEqual([]);
    },
  );

  it("INVALID_ARGUMENT, not INTERNAL, for a market order with a zero quantity", async () => {
    const { client } = t;
    await expectStatus(
      client.createOrder(marketOrder("m", "buy", "0.0004")),
      Status.INVALID_ARGUMENT,
      "invalid quantity",
    );
    await expectStatus(client.createOrder(marketOrder("m", "buy", "-2")), Status.INVALID_ARGUMENT);
    await expectStatus(client.createOrder(marketOrder("m", "buy", "x")), Status.INVALID_ARGUMENT);
  });

  it("ignores a market order's price, as Matchingo never parses it", async () => {
    await t.client.createOrder(limitOrder("s", "sell", "100", "1"));
    const market = await t.client.createOrder(
      marketOrder("m", "buy", "1", { price: "not a price" }),
    );
    expect(market.filledQuantity).toBe("1.000");
  });

  it("UNIMPLEMENTED for stop orders and for the redis backend", async () => {
    const { client } = t;
    for (const orderType of [OrderType.STOP, OrderType.STOP_LIMIT]) {
      await expectStatus(
        client.createOrder(limitOrder("stop", "buy", "100", "1", { orderType, stopPrice: "99" })),
        Status.UNIMPLEMENTED,
        "stop",
      );
    }
    await expectStatus(
      client.createOrderBook({ name: "r", backendType: BackendType.REDIS }),
      Status.UNIMPLEMENTED,
      "redis",
    );
    expect(t.venue.books().map((b) => b.name)).toEqual(["test"]);
  });

  it("INVALID_ARGUMENT for an empty book name or an unknown order type or backend", async () => {
    const { client } = t;
    await expectStatus(client.createOrderBook({ name: "" }), Status.INVALID_ARGUMENT, "name");
    await expectStatus(
      client.createOrder(limitOrder("o", "buy", "1", "1", { orderType: 9 as OrderType })),
      Status.INVALID_ARGUMENT,
      "order type: 9",
    );
    await expectStatus(
      client.createOrderBook({ name: "b", backendType: 4 as BackendType }),
      Status.INVALID_ARGUMENT,
      "backend type: 4",
    );
  });

  it("takes what Matchingo takes: an empty order id, an unknown side as BUY, an unknown time in force as GTC", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("", "sell", "5", "1"));
    await client.createOrder(limitOrder("odd-side", "sell", "1", "1", { side: 7 as OrderSide }));
    const odd = await client.createOrder(
      limitOrder("odd-tif", "buy", "2", "1", { timeInForce: 5 as TimeInForce }),
    );
    expect(odd.status).toBe(OrderStatus.OPEN);
    expect(
      venue
        .liveOrders("test")
        .map((order) => [order.orderId, order.side, order.price])
        .sort(),
    ).toEqual([
      ["", "sell", "5.000"],
      ["odd-side", "buy", "1.000"],
      ["odd-tif", "buy", "2.000"],
    ]);
  });
});
