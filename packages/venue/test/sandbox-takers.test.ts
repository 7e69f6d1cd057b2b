import { createChannel } from "nice-grpc";
import { afterEach, expect, it } from "vitest";
import { formatFixed } from "../src/fixed-point.ts";
import {
  planTakerOrder,
  seededRandom,
  startTakerFlow,
  startVenue,
  type TakerOrder,
  type Venue,
} from "../src/index.ts";
import { connect, limitOrder, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const BOOK = { size: "0.01", reachPercent: "0.125" };

it("the same seed plans the same orders; each is within the reach, exact to 0.001", () => {
  const plan = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 200 }, () => planTakerOrder(BOOK, "50000", 0n, random)!);
  };
  const first = plan(7);
  expect(plan(7)).toEqual(first);
  expect(plan(8)).not.toEqual(first);
  for (const order of first) {
    const price = Number(formatFixed(order.price));
    // 0.125 % of 50000 is 62.5.
    if (order.side === "buy") expect(price).toBeGreaterThanOrEqual(50000);
    else expect(price).toBeLessThanOrEqual(50000);
    expect(Math.abs(price - 50000)).toBeLessThanOrEqual(62.5);
    expect(order.quantity).toBeGreaterThanOrEqual(3n); // 0.3 × 0.010
    expect(order.quantity).toBeLessThanOrEqual(15n); // 1.5 × 0.010
  }
  // Both sides, some near the price, some out past the first level (25 away).
  expect(new Set(first.map((order) => order.side))).toEqual(new Set(["buy", "sell"]));
  const offsets = first.map((order) => Math.abs(Number(formatFixed(order.price)) - 50000));
  expect(offsets.some((offset) => offset < 25)).toBe(true);
  expect(offsets.some((offset) => offset > 25)).toBe(true);
});

it("leans against the takers' net: long takers mostly sell, short ones mostly buy", () => {
  const sides = (net: bigint) => {
    const random = seededRandom(3);
    return Array.from({ length: 400 }, () => planTakerOrder(BOOK, "50000", net, random)!.side);
  };
  const buys = (list: string[]) => list.filter((side) => side === "buy").length;
  expect(buys(sides(400n))).toBeLessThan(150);
  expect(buys(sides(-400n))).toBeGreaterThan(250);
});

it("refuses what the venue cannot take: no price, a zero size", () => {
  const random = seededRandom(1);
  expect(planTakerOrder(BOOK, "abc", 0n, random)).toBeUndefined();
  expect(planTakerOrder({ ...BOOK, size: "0" }, "50000", 0n, random)).toBeUndefined();
});

it("trades against the resting orders over gRPC with IOC orders that never rest, then stops", async () => {
  const venue: Venue = await startVenue({ initialBooks: ["BTC-USDT"] });
  cleanups.push(() => venue.close());
  // A maker's ladder around 50000, deep enough for every taker.
  const channel = createChannel(venue.address);
  cleanups.push(async () => channel.close());
  const maker = connect(channel);
  for (const [index, price] of ["49975", "49950", "50025", "50050"].entries()) {
    await maker.createOrder(
      limitOrder(`m-${index}`, index < 2 ? "buy" : "sell", price, "10", {
        orderBookName: "BTC-USDT",
        userAddress: "maker",
      }),
    );
  }
  const orders: TakerOrder[] = [];
  let price: string | undefined;
  const flow = startTakerFlow({
    address: venue.address,
    seed: 1,
    meanIntervalMs: 20,
    books: [{ book: "BTC-USDT", price: () => price, ...BOOK }],
    onOrder: (order) => orders.push(order),
  });
  cleanups.push(() => flow.stop());
  // No price yet: nothing is sent.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(flow.sent).toBe(0);
  price = "50000";
  await waitFor(() => venue.trades("BTC-USDT").length >= 5, 10_000);
  await flow.stop();
  const sent = flow.sent;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(flow.sent).toBe(sent);
  const trades = venue.trades("BTC-USDT");
  expect(trades.every((trade) => trade.takerUserAddress === "sandbox-taker")).toBe(true);
  expect(trades.every((trade) => trade.makerUserAddress === "maker")).toBe(true);
  // Nothing of the takers rests: only the maker's four orders are in the book.
  expect(venue.liveOrders("BTC-USDT").map((order) => order.userAddress)).toEqual(
    Array(4).fill("maker"),
  );
  expect(orders.some((order) => order.filled !== "0")).toBe(true);
});

it("with restingPerSide, another trader rests orders beyond the takers' reach and takes them away at stop", async () => {
  const venue: Venue = await startVenue({ initialBooks: ["BTC-USDT"] });
  cleanups.push(() => venue.close());
  const flow = startTakerFlow({
    address: venue.address,
    seed: 2,
    meanIntervalMs: 20,
    restingPerSide: 2,
    books: [{ book: "BTC-USDT", price: () => "50000", ...BOOK }],
  });
  cleanups.push(() => flow.stop());
  const others = () =>
    venue.liveOrders("BTC-USDT").filter((o) => o.userAddress === "sandbox-maker");
  await waitFor(() => others().length === 4 && flow.sent >= 3, 10_000);
  for (const order of others()) {
    // 1.6 reaches (0.125 % × 1.6 = 0.2 %, 100 away) or more from the price: no taker gets there.
    expect(Math.abs(Number(order.price) - 50000)).toBeGreaterThanOrEqual(100);
    expect(order.side === "buy" ? Number(order.price) < 50000 : Number(order.price) > 50000).toBe(
      true,
    );
  }
  // The takers trade against these (nobody else rests here), never inside 0.125 %: no trade.
  expect(venue.trades("BTC-USDT")).toEqual([]);
  await flow.stop();
  expect(venue.liveOrders("BTC-USDT")).toEqual([]);
});
