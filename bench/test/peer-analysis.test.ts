import { describe, expect, it } from "vitest";
import {
  bookGap,
  callsByMethod,
  neverCancelled,
  parseRequestLine,
  quoteSamples,
  type VenueRequest,
} from "../src/peer/analysis.ts";

const create = (at: number, id: string, side: "buy" | "sell", price: string): VenueRequest => ({
  at,
  method: "CreateOrder",
  book: "B",
  orderId: id,
  side,
  price,
});
const cancel = (at: number, id: string): VenueRequest => ({
  at,
  method: "CancelOrder",
  book: "B",
  orderId: id,
});

describe("the peer bench's reading of the venue's request log", () => {
  it("parses the server's request line and nothing else", () => {
    const line =
      '{"level":"debug","method":"CreateOrder","order_book":"B","order_id":"o1","side":"SELL","type":"LIMIT","quantity":"0.01","price":"100.5","user_address":"u","time":"2026-12-02T00:36:23Z","message":"Request received"}';
    expect(parseRequestLine(line, 7)).toEqual({
      at: 7,
      method: "CreateOrder",
      book: "B",
      orderId: "o1",
      side: "sell",
      price: "100.5",
      user: "u",
    });
    expect(
      parseRequestLine('{"method":"GetOrderBook","name":"B","message":"Request received"}', 1),
    ).toMatchObject({ method: "GetOrderBook", book: "B" });
    expect(parseRequestLine('{"message":"Retrieved order book","order_book":"B"}', 1)).toBe(
      undefined,
    );
    expect(parseRequestLine('{"message":"Request received", cut', 1)).toBe(undefined);
  });

  it("fetch-to-quote: from the answer to the last create of a whole new ladder; innermost apart; partial ones counted", () => {
    const requests = [
      create(12, "b1", "buy", "99"),
      create(15, "s2", "sell", "102"),
      create(13, "s1", "sell", "101"),
      create(20, "b2", "buy", "98"),
      // After the second answer: only one side.
      create(110, "b3", "buy", "97"),
    ];
    const events = [
      { at: 10, symbols: ["X"] },
      { at: 100, symbols: ["X"] },
      { at: 200, symbols: ["Y"] },
    ];
    const { samples, partial } = quoteSamples(events, requests, "X", "B", 2, 0, 1000);
    expect(samples).toEqual([{ wholeMs: 10, innermostMs: 3, creates: 4 }]);
    expect(partial).toBe(1);
    // Outside the window: nothing.
    expect(quoteSamples(events, requests, "X", "B", 2, 50, 1000).samples).toEqual([]);
  });

  it("book gap: the share of samples with fewer than N price levels a side", () => {
    const requests = [
      create(0, "b1", "buy", "99"),
      create(0, "s1", "sell", "101"),
      // Cancel first, then create (the seed's cycle): one side short from 50 to 60.
      cancel(50, "b1"),
      create(60, "b2", "buy", "98"),
    ];
    // Samples at 0, 10, ..., 90: those at 50 is short (the create lands at 60).
    expect(bookGap(requests, "B", 1, 0, 100, 10)).toEqual({ samples: 10, short: 1, share: 0.1 });
    // Make-before-break: never short.
    const mbb = [
      create(0, "b1", "buy", "99"),
      create(0, "s1", "sell", "101"),
      create(50, "b2", "buy", "98"),
      cancel(55, "b1"),
    ];
    expect(bookGap(mbb, "B", 1, 0, 100, 10).short).toBe(0);
  });

  it("counts calls by method in the window and finds ids never cancelled", () => {
    const requests = [
      create(1, "a", "buy", "1"),
      create(2, "b", "buy", "1"),
      cancel(3, "a"),
      { at: 4, method: "GetOrder", book: "B", orderId: "b" },
      { at: 4, method: "GetOrder", book: "other", orderId: "z" },
    ];
    expect(callsByMethod(requests, "B", 2, 10)).toEqual({
      CreateOrder: 1,
      CancelOrder: 1,
      GetOrder: 1,
    });
    expect(neverCancelled(requests, "B")).toEqual(["b"]);
  });
});
