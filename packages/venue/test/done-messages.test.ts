import type { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { limitOrder, startTestVenue, type TestVenue } from "./helpers.ts";

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
});
afterEach(async () => {
  await t.close();
});

it("publishes Matchingo's DoneMessage after every order that trades, before it answers", async () => {
  const { client, venue } = t;
  const heard: DoneMessage[] = [];
  let answered = false;
  venue.onDone((message) => {
    expect(answered).toBe(false);
    heard.push(message);
  });
  await client.createOrder(limitOrder("s1", "sell", "100", "1"));
  await client.createOrder(limitOrder("s2", "sell", "101", "2"));
  expect(heard).toEqual([]); // a resting order publishes nothing
  await client.createOrder(limitOrder("b1", "buy", "101.5", "2.5"));
  answered = true;
  expect(heard).toHaveLength(1);
  const [done] = heard;
  expect(done).toMatchObject({
    orderId: "b1",
    executedQuantity: "2.500",
    remainingQuantity: "0", // the venue prints zero as Matchingo does
    stored: false,
  });
  expect(done!.trades.map((e) => [e.orderId, e.role, e.price, e.quantity])).toEqual([
    ["b1", "TAKER", "101.500", "2.500"],
    ["s1", "MAKER", "100.000", "1.000"],
    ["s2", "MAKER", "101.000", "1.500"],
  ]);
});
