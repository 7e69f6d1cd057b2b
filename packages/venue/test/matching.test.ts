import { OrderStatus, TimeInForce } from "@matchingo-mm/grpc-client/proto";
import { Status } from "nice-grpc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  expectStatus,
  limitOrder,
  marketOrder,
  startTestVenue,
  type TestVenue,
} from "./helpers.ts";

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
});
afterEach(async () => {
  await t.close();
});

const fillsOf = (response: { fills: Array<{ price: string; quantity: string }> }) =>
  response.fills.map((fill) => [fill.price, fill.quantity]);

describe("matching over gRPC", () => {
  it("fills across price levels at the resting prices and rests the rest (GTC)", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("s1", "sell", "100", "1"));
    await client.createOrder(limitOrder("s2", "sell", "101", "2"));
    await client.createOrder(limitOrder("s3", "sell", "102", "5"));

    const taker = await client.createOrder(limitOrder("b1", "buy", "101.5", "4"));
    expect(taker.status).toBe(OrderStatus.PARTIALLY_FILLED);
    expect(taker.filledQuantity).toBe("3.000");
    expect(taker.remainingQuantity).toBe("1.000");
    expect(fillsOf(taker)).toEqual([
      ["101.500", "3.000"],
      ["100.000", "1.000"],
      ["101.000", "2.000"],
    ]);

    const resting = await client.getOrder({ orderBookName: "test", orderId: "b1" });
    expect(resting).toMatchObject({
      status: OrderStatus.PARTIALLY_FILLED,
      quantity: "4.000",
      price: "101.500",
      filledQuantity: "3.000",
      remainingQuantity: "1.000",
      userAddress: "",
    });
    await expectStatus(client.getOrder({ orderBookName: "test", orderId: "s1" }), Status.NOT_FOUND);
    await expectStatus(client.getOrder({ orderBookName: "test", orderId: "s2" }), Status.NOT_FOUND);

    const state = await client.getOrderBookState({ name: "test" });
    expect(state.bids.map((l) => [l.price, l.totalQuantity])).toEqual([["101.500", "1.000"]]);
    expect(state.asks.map((l) => [l.price, l.totalQuantity])).toEqual([["102.000", "5.000"]]);
    expect(
      venue.trades().map((tr) => [tr.takerOrderId, tr.makerOrderId, tr.price, tr.quantity]),
    ).toEqual([
      ["b1", "s1", "100.000", "1.000"],
      ["b1", "s2", "101.000", "2.000"],
    ]);
  });

  it("drops the unfilled rest of an IOC order", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("s1", "sell", "100", "1"));
    const ioc = await client.createOrder(
      limitOrder("b1", "buy", "100", "3", { timeInForce: TimeInForce.IOC }),
    );
    expect(ioc.status).toBe(OrderStatus.PARTIALLY_FILLED);
    expect([ioc.filledQuantity, ioc.remainingQuantity]).toEqual(["1.000", "2.000"]);
    expect(fillsOf(ioc)).toEqual([
      ["100.000", "1.000"],
      ["100.000", "1.000"],
    ]);
    await expectStatus(client.getOrder({ orderBookName: "test", orderId: "b1" }), Status.NOT_FOUND);
    expect(venue.liveOrders()).toEqual([]);

    const nothing = await client.createOrder(
      limitOrder("b2", "buy", "99", "1", { timeInForce: TimeInForce.IOC }),
    );
    expect(nothing.status).toBe(OrderStatus.OPEN);
    expect(fillsOf(nothing)).toEqual([["99.000", "0"]]);
    expect(venue.liveOrders()).toEqual([]);
  });

  it("trades a FOK order completely or not at all", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("s1", "sell", "100", "1"));
    await client.createOrder(limitOrder("s2", "sell", "101", "1"));
    const before = await client.getOrderBookState({ name: "test" });

    const tooBig = await client.createOrder(
      limitOrder("f1", "buy", "101", "3", { timeInForce: TimeInForce.FOK }),
    );
    expect(tooBig.status).toBe(OrderStatus.OPEN);
    expect([tooBig.filledQuantity, tooBig.remainingQuantity]).toEqual(["0", "3.000"]);
    expect(fillsOf(tooBig)).toEqual([["101.000", "0"]]);

    // Enough quantity exists, but not at a price this order accepts.
    const tooLow = await client.createOrder(
      limitOrder("f2", "buy", "100.5", "2", { timeInForce: TimeInForce.FOK }),
    );
    expect(tooLow.filledQuantity).toBe("0");
    expect(venue.trades()).toEqual([]);
    expect((await client.getOrderBookState({ name: "test" })).asks).toEqual(before.asks);

    const fits = await client.createOrder(
      limitOrder("f3", "buy", "101", "2", { timeInForce: TimeInForce.FOK }),
    );
    expect(fits.status).toBe(OrderStatus.FILLED);
    expect([fits.filledQuantity, fits.remainingQuantity]).toEqual(["2.000", "0"]);
    expect(fillsOf(fits)).toEqual([
      ["101.000", "2.000"],
      ["100.000", "1.000"],
      ["101.000", "1.000"],
    ]);
    expect(venue.liveOrders()).toEqual([]);
  });

  it("runs a market order through a thin book and drops what it cannot fill", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("s1", "sell", "100", "1"));
    await client.createOrder(limitOrder("s2", "sell", "105", "0.5"));

    const market = await client.createOrder(marketOrder("m1", "buy", "3"));
    expect(market.status).toBe(OrderStatus.PARTIALLY_FILLED);
    expect(market.filledQuantity).toBe("1.500");
    // Matchingo reports a market order that traded anything as having nothing left.
    expect(market.remainingQuantity).toBe("0");
    expect(fillsOf(market)).toEqual([
      ["105.000", "1.500"],
      ["100.000", "1.000"],
      ["105.000", "0.500"],
    ]);
    expect(venue.liveOrders()).toEqual([]);
    await expectStatus(client.getOrder({ orderBookName: "test", orderId: "m1" }), Status.NOT_FOUND);

    const intoNothing = await client.createOrder(marketOrder("m2", "sell", "2"));
    expect(intoNothing.status).toBe(OrderStatus.OPEN);
    expect([intoNothing.filledQuantity, intoNothing.remainingQuantity]).toEqual(["0", "2.000"]);
    expect(fillsOf(intoNothing)).toEqual([["0", "0"]]);
    expect(venue.liveOrders()).toEqual([]);
  });

  it("gives time priority within a level (ours; Matchingo promises none) and price priority across levels", async () => {
    const { client, venue } = t;
    for (const id of ["s1", "s2", "s3"])
      await client.createOrder(limitOrder(id, "sell", "100", "1"));
    await client.createOrder(limitOrder("s4", "sell", "99.5", "1")); // later but better

    await client.createOrder(limitOrder("b1", "buy", "100", "2.5"));
    const s2 = await client.getOrder({ orderBookName: "test", orderId: "s2" });
    expect([s2.status, s2.remainingQuantity]).toEqual([OrderStatus.PARTIALLY_FILLED, "0.500"]);

    // A partly filled order keeps its place ahead of s3.
    await client.createOrder(limitOrder("s5", "sell", "100", "1"));
    await client.createOrder(limitOrder("b2", "buy", "100", "1"));
    expect(venue.trades().map((tr) => [tr.makerOrderId, tr.quantity])).toEqual([
      ["s4", "1.000"],
      ["s1", "1.000"],
      ["s2", "0.500"],
      ["s2", "0.500"],
      ["s3", "0.500"],
    ]);
    expect(venue.liveOrders().map((o) => [o.orderId, o.remainingQuantity])).toEqual([
      ["s3", "0.500"],
      ["s5", "1.000"],
    ]);
  });

  it("lets a client's own crossing orders trade with each other (no self-trade prevention)", async () => {
    const { client, venue } = t;
    const events: string[] = [];
    venue.onEvent((event) => events.push(event.type));
    await client.createOrder(limitOrder("ask", "sell", "100", "1", { userAddress: "mm-1" }));
    const bid = await client.createOrder(
      limitOrder("bid", "buy", "100.5", "1", { userAddress: "mm-1" }),
    );
    expect(bid.status).toBe(OrderStatus.FILLED);
    expect(venue.trades()).toEqual([
      expect.objectContaining({
        book: "test",
        takerOrderId: "bid",
        makerOrderId: "ask",
        takerUserAddress: "mm-1",
        makerUserAddress: "mm-1",
        takerSide: "buy",
        price: "100.000",
        quantity: "1.000",
        time: expect.any(Date),
      }),
    ]);
    expect(events).toEqual(["order-created", "trade", "order-created"]);
  });

  it("answers a non-crossing order OPEN with one zero fill and echoes the request's strings but not user_address", async () => {
    const { client } = t;
    const response = await client.createOrder(
      limitOrder("o1", "buy", "49975.4999", "0.0129", { ocoId: "oco-7", userAddress: "mm" }),
    );
    expect(response).toMatchObject({
      orderId: "o1",
      orderBookName: "test",
      status: OrderStatus.OPEN,
      price: "49975.4999",
      quantity: "0.0129",
      filledQuantity: "0",
      remainingQuantity: "0.012",
      ocoId: "oco-7",
      // Never echoed by Matchingo.
      userAddress: "",
    });
    expect(fillsOf(response)).toEqual([["49975.499", "0"]]);
    const stored = await client.getOrder({ orderBookName: "test", orderId: "o1" });
    expect([stored.price, stored.quantity]).toEqual(["49975.499", "0.012"]);
  });

  it("forgets filled and cancelled ids so they can be used again", async () => {
    const { client, venue } = t;
    await client.createOrder(limitOrder("x", "sell", "100", "1"));
    await client.cancelOrder({ orderBookName: "test", orderId: "x" });
    await client.createOrder(limitOrder("x", "sell", "100", "1"));
    await client.createOrder(limitOrder("y", "buy", "100", "1"));
    await expectStatus(client.getOrder({ orderBookName: "test", orderId: "x" }), Status.NOT_FOUND);
    const again = await client.createOrder(limitOrder("x", "buy", "90", "2"));
    expect(again.status).toBe(OrderStatus.OPEN);
    const y = await client.createOrder(limitOrder("y", "sell", "95", "1"));
    expect(y.status).toBe(OrderStatus.OPEN);
    expect(venue.liveOrders().map((o) => [o.orderId, o.side, o.price])).toEqual([
      ["x", "buy", "90.000"],
      ["y", "sell", "95.000"],
    ]);
  });
});
