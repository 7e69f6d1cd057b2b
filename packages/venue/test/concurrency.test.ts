import { OrderSide, OrderType, TimeInForce } from "@matchingo-mm/grpc-client/proto";
import { ClientError, Status } from "nice-grpc";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parseFixed } from "../src/fixed-point.ts";
import { type MatchingoClient, startTestVenue, type TestVenue } from "./helpers.ts";

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
});
afterEach(async () => {
  await t.close();
});

/** Small deterministic PRNG (mulberry32), so each client's flow is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Placed {
  quantity: bigint;
  /** What the CreateOrder response said was left resting (GTC only). */
  restedWith: bigint;
  canceled: boolean;
}

async function runClient(client: MatchingoClient, name: string, seed: number, operations: number) {
  const next = random(seed);
  const placed = new Map<string, Placed>();
  const ids: string[] = [];
  // Kept apart: a cancel's answer may arrive before its order's create answer was handled.
  const canceled = new Set<string>();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < operations; i++) {
    // Up to 4 calls in flight per client, so calls from all clients interleave on the server.
    if (inFlight.length >= 4) await inFlight.shift();
    if (ids.length > 0 && next() < 0.35) {
      const id = ids[Math.floor(next() * ids.length)]!;
      inFlight.push(
        client.cancelOrder({ orderBookName: "test", orderId: id }).then(
          () => {
            canceled.add(id);
          },
          (error: unknown) => {
            // NOT_FOUND is the honest answer for an order already filled or cancelled.
            if (!(error instanceof ClientError) || error.code !== Status.NOT_FOUND) throw error;
          },
        ),
      );
      continue;
    }
    const id = `${name}-${i}`;
    const side = next() < 0.5 ? OrderSide.BUY : OrderSide.SELL;
    // Prices straddle 100 so that many orders cross.
    const price = (99 + Math.floor(next() * 21) / 10).toFixed(1);
    const quantity = (1 + Math.floor(next() * 50) / 10).toFixed(1);
    const timeInForce = next() < 0.8 ? TimeInForce.GTC : TimeInForce.IOC;
    ids.push(id);
    inFlight.push(
      client
        .createOrder({
          orderBookName: "test",
          orderId: id,
          side,
          price,
          quantity,
          orderType: OrderType.LIMIT,
          timeInForce,
          userAddress: name,
        })
        .then((response) => {
          const rests = timeInForce === TimeInForce.GTC;
          placed.set(id, {
            quantity: parseFixed(quantity),
            restedWith: rests ? parseFixed(response.remainingQuantity) : 0n,
            canceled: false,
          });
        }),
    );
  }
  await Promise.all(inFlight);
  for (const id of canceled) placed.get(id)!.canceled = true;
  return placed;
}

it("keeps one consistent, uncrossed book under many concurrent clients", async () => {
  const { venue } = t;
  const clientCount = 8;
  const results = await Promise.all(
    Array.from({ length: clientCount }, (_, i) =>
      runClient(t.newClient(), `client${i}`, 1000 + i, 150),
    ),
  );
  const placed = new Map<string, Placed>();
  for (const result of results) for (const [id, order] of result) placed.set(id, order);

  const trades = venue.trades("test");
  expect(trades.length).toBeGreaterThan(20);
  // What each order lost to later takers while resting.
  const takenAsMaker = new Map<string, bigint>();
  for (const trade of trades) {
    takenAsMaker.set(
      trade.makerOrderId,
      (takenAsMaker.get(trade.makerOrderId) ?? 0n) + parseFixed(trade.quantity),
    );
  }

  // Every order's fate is accounted for: what rested, minus later fills, unless cancelled.
  const expectedLive = new Map<string, bigint>();
  for (const [id, order] of placed) {
    const left = order.restedWith - (takenAsMaker.get(id) ?? 0n);
    expect(left).toBeGreaterThanOrEqual(0n);
    if (!order.canceled && left > 0n) expectedLive.set(id, left);
  }
  const live = venue.liveOrders("test");
  expect(new Map(live.map((o) => [o.orderId, parseFixed(o.remainingQuantity)]))).toEqual(
    expectedLive,
  );

  // The book state over gRPC is exactly the sum of the live orders, per level.
  const state = await t.client.getOrderBookState({ name: "test", depth: 10_000 });
  const sumLevels = (side: "buy" | "sell") => {
    const levels = new Map<string, { total: bigint; count: number }>();
    for (const order of live.filter((o) => o.side === side)) {
      const level = levels.get(order.price) ?? { total: 0n, count: 0 };
      level.total += parseFixed(order.remainingQuantity);
      level.count++;
      levels.set(order.price, level);
    }
    return levels;
  };
  for (const [side, levels] of [
    ["buy", state.bids],
    ["sell", state.asks],
  ] as const) {
    const expected = sumLevels(side);
    expect(levels).toHaveLength(expected.size);
    for (const level of levels) {
      expect({ total: parseFixed(level.totalQuantity), count: level.orderCount }).toEqual(
        expected.get(level.price),
      );
    }
  }
  // Not crossed at rest, and each side sorted best first.
  const bids = state.bids.map((l) => parseFixed(l.price));
  const asks = state.asks.map((l) => parseFixed(l.price));
  expect(bids).toEqual([...bids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  expect(asks).toEqual([...asks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  if (bids.length > 0 && asks.length > 0) expect(bids[0]! < asks[0]!).toBe(true);

  // Matchingo's order_count counts accepted creates, not live orders.
  const info = await t.client.getOrderBook({ name: "test" });
  const accepted = results.reduce((sum, placed) => sum + placed.size, 0);
  expect(info.orderCount).toBe(accepted);
});
