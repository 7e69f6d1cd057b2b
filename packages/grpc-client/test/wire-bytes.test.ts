import { describe, expect, it } from "vitest";
import {
  CreateOrderRequest,
  OrderBookResponse,
  OrderResponse,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from "../src/gen/orderbook.ts";
import { toCreateOrderRequest } from "../src/order-request.ts";

/** A length-delimited field: tag byte, length, UTF-8 bytes (all short ASCII here). */
const text = (tag: number, value: string) => [tag, value.length, ...Buffer.from(value, "ascii")];

describe("CreateOrderRequest bytes equal a hand-computed protobuf encoding", () => {
  it("every field at its documented number and wire type", () => {
    const request: CreateOrderRequest = {
      orderBookName: "btc", // 1: string → tag (1<<3)|2 = 0x0a
      orderId: "o-1", // 2: string → 0x12
      side: OrderSide.SELL, // 3: enum varint → 0x18, SELL = 1
      quantity: "0.5", // 4: string → 0x22
      price: "100.25", // 5: string → 0x2a
      orderType: OrderType.MARKET, // 6: enum varint → 0x30, MARKET = 1
      timeInForce: TimeInForce.FOK, // 7: enum varint → 0x38, FOK = 2
      stopPrice: "99", // 8: string → 0x42
      ocoId: "x", // 9: string → 0x4a
      userAddress: "mm-1", // 10: string → 0x52
    };
    const expected = [
      ...text(0x0a, "btc"),
      ...text(0x12, "o-1"),
      ...[0x18, 0x01],
      ...text(0x22, "0.5"),
      ...text(0x2a, "100.25"),
      ...[0x30, 0x01],
      ...[0x38, 0x02],
      ...text(0x42, "99"),
      ...text(0x4a, "x"),
      ...text(0x52, "mm-1"),
    ];
    expect([...CreateOrderRequest.encode(request).finish()]).toEqual(expected);
  });

  it("what placeOrder sends for a sell: LIMIT (0) and GTC (0) are proto3 defaults, so absent", () => {
    const request = toCreateOrderRequest(
      { book: "btc", orderId: "o-1", side: "sell", price: "100.250", quantity: "+0.5" },
      "mm-1",
    );
    expect([...CreateOrderRequest.encode(request).finish()]).toEqual([
      ...text(0x0a, "btc"),
      ...text(0x12, "o-1"),
      ...[0x18, 0x01],
      ...text(0x22, "0.5"),
      ...text(0x2a, "100.250"),
      ...text(0x52, "mm-1"),
    ]);
  });

  it("a buy leaves side out too (BUY = 0)", () => {
    const request = toCreateOrderRequest(
      { book: "b", orderId: "i", side: "buy", price: "1", quantity: "2" },
      "",
    );
    expect([...CreateOrderRequest.encode(request).finish()]).toEqual([
      ...text(0x0a, "b"),
      ...text(0x12, "i"),
      ...text(0x22, "2"),
      ...text(0x2a, "1"),
    ]);
  });
});

describe("responses decode from hand-written bytes", () => {
  it("OrderResponse: status 9 (varint), remaining_quantity 11, created_at 12 (Timestamp)", () => {
    const bytes = Uint8Array.from([
      ...text(0x0a, "o-1"), // order_id = 1
      ...[0x48, 0x03], // status = 9 → (9<<3)|0 = 0x48, PARTIALLY_FILLED = 3
      ...text(0x52, "0.200"), // filled_quantity = 10 → 0x52
      ...text(0x5a, "0.300"), // remaining_quantity = 11 → 0x5a
      ...[0x62, 0x02, 0x08, 0x64], // created_at = 12 → 0x62, Timestamp{seconds = 1 → 0x08, 100}
      // user_address = 16 → (16<<3)|2 = 130, a two-byte varint tag 0x82 0x01; length 2
      ...[0x82, 0x01, 0x02, ...Buffer.from("mm", "ascii")],
    ]);
    const order = OrderResponse.decode(bytes);
    expect(order).toMatchObject({
      orderId: "o-1",
      status: OrderStatus.PARTIALLY_FILLED,
      filledQuantity: "0.200",
      remainingQuantity: "0.300",
      createdAt: new Date(100_000),
      userAddress: "mm",
    });
  });

  it("OrderBookResponse: order_count 4 is a uint64 varint", () => {
    // 300 = 0b1_0010_1100 → varint 0xac 0x02
    const bytes = Uint8Array.from([...text(0x0a, "test"), 0x20, 0xac, 0x02]);
    expect(OrderBookResponse.decode(bytes)).toMatchObject({ name: "test", orderCount: 300 });
  });
});
