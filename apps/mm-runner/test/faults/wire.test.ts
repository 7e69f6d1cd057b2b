/**
 * Faults on the wire between the runner and the venue, made by a TCP proxy on 127.0.0.1
 * (see harness/tcp-proxy.ts: `tc netem` is not available on these machines): a reset in
 * the middle of a CreateOrder, a black hole for 10 s, 200 ms latency with 5 % loss for a
 * minute of requotes. Under each, from the venue's own record: never a stray second order
 * of ours for one level (besides the one a make-before-break requote replaces), the whole
 * ladder back within two cycles once the wire heals, none of ours left after a clean stop.
 */

import { waitFor } from "@matchingo-mm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectNoStrayPerLevel,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { ladderPrices, pricesDerivableFrom, samePrice } from "./harness/ladder.ts";
import { type FaultRunner, startFaultRunner } from "./harness/runner.ts";
import { startTcpFaultProxy, type TcpFaultProxy } from "./harness/tcp-proxy.ts";

const BOOK = "BTC-USDT";
const fixture = useFaultFixture({ [BOOK]: "50000" });
let proxy: TcpFaultProxy;

beforeEach(async () => {
  fixture.exchanges.setPrice(BOOK, "50000");
  proxy = await startTcpFaultProxy(fixture.venue.address);
});
afterEach(async () => {
  fixture.venue.setLatency(0);
  await proxy.close();
});

const start = (id: string): FaultRunner =>
  startFaultRunner({
    id,
    venue: proxy.address,
    prices: fixture.exchanges.url,
    env: { MATCHINGO_DEADLINE_SECONDS: "2" },
  });

/** Our live orders are exactly the ladder of `price`. */
const ladderAt = (id: string, price: string) => {
  const live = fixture.record.live(id, BOOK);
  const want = ladderPrices(price);
  return live.length === want.size && live.every((order) => want.has(samePrice(order.price)));
};

/**
 * Once the wire has healed at `healedAt`: the ladder at `price` is back, and the cycle that
 * brought it back is at most the second to start after the heal (cycles, not time).
 */
async function expectLadderBackWithinTwoCycles(
  runner: FaultRunner,
  id: string,
  price: string,
  healedAt: number,
) {
  await waitFor(() => ladderAt(id, price), 30_000, `the ladder at ${price}`).catch((error) => {
    const live = fixture.record.live(id, BOOK).map((order) => `${order.orderId} @ ${order.price}`);
    const last = runner.logs.slice(-8).map((line) => line.msg);
    throw new Error(
      `${error.message}; live: ${live.join(", ")}; last log lines: ${last.join(" | ")}`,
      {
        cause: error,
      },
    );
  });
  const liveIds = new Set(fixture.record.live(id, BOOK).map((order) => order.orderId));
  const restoredAt = Math.max(
    ...fixture.record
      .created(id, BOOK)
      .filter((event) => liveIds.has(event.orderId))
      .map((event) => event.time.getTime()),
  );
  // The cycle lines come a moment after the orders: wait for the one that placed the last.
  await waitFor(
    () =>
      runner.cycles().some((line) => Number(line.startedAt) + Number(line.ms) >= restoredAt - 5),
    10_000,
    "the restoring cycle's line",
  );
  const startedSinceHeal = runner
    .cycles()
    .filter((line) => Number(line.startedAt) >= healedAt && Number(line.startedAt) <= restoredAt);
  expect(startedSinceHeal.length).toBeLessThanOrEqual(2);
}

async function stopAndCheck(runner: FaultRunner, id: string, prices: string[]) {
  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
  expectNoStrayPerLevel(id, fixture.record.events);
  expectNoSelfTrade(id, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(id), pricesDerivableFrom(prices));
}

it("a connection reset in the middle of a CreateOrder (landed, answer lost)", async () => {
  const id = "mm-w-reset";
  const runner = start(id);
  await waitFor(() => ladderAt(id, "50000"), 20_000, "the first ladder");
  // The venue takes the create, and the wire dies before its answer gets back.
  fixture.venue.setLatency(30);
  const reset = new Promise<void>((resolve) => {
    const stop = fixture.venue.onEvent((event) => {
      if (event.type !== "order-created" || event.userAddress !== id) return;
      proxy.resetAll();
      stop();
      resolve();
    });
  });
  fixture.exchanges.setPrice(BOOK, "50100");
  await reset;
  const healedAt = Date.now();
  fixture.venue.setLatency(0);
  await expectLadderBackWithinTwoCycles(runner, id, "50100", healedAt);
  expect(proxy.accepted).toBeGreaterThanOrEqual(2);
  await stopAndCheck(runner, id, ["50000", "50100"]);
});

it("a black hole for 10 s (nothing flows, nothing is reset)", async () => {
  const id = "mm-w-hole";
  const runner = start(id);
  await waitFor(() => ladderAt(id, "50000"), 20_000, "the first ladder");
  proxy.setMode({ kind: "black-hole" });
  fixture.exchanges.setPrice(BOOK, "50100");
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const healedAt = Date.now();
  proxy.setMode({ kind: "pass" });
  await expectLadderBackWithinTwoCycles(runner, id, "50100", healedAt);
  await stopAndCheck(runner, id, ["50000", "50100"]);
});

/** How long the wire stays slow and lossy, as the issue asks: a minute of requoting over it. */
const SLOW_FOR_MS = 60_000;
/** The price walks over these while the wire is slow: a requote every few seconds. */
const SLOW_PRICES = ["50100", "50050", "50150", "50000", "50050"];

it(
  "200 ms latency with 5 % loss (as retransmission delay) for a minute of requotes, then healed",
  async () => {
    const id = "mm-w-slow";
    const runner = start(id);
    await waitFor(() => ladderAt(id, "50000"), 20_000, "the first ladder");
    proxy.setMode({ kind: "slow", latencyMs: 200, lossRate: 0.05, retransmitMs: 400 });
    const slowUntil = Date.now() + SLOW_FOR_MS;
    const createdBefore = fixture.record.created(id).length;
    fixture.exchanges.setPrice(BOOK, SLOW_PRICES[0]!);
    // Requotes go on over the slow wire (one price move is enough to make it work).
    await waitFor(() => ladderAt(id, SLOW_PRICES[0]!), 30_000, "the ladder over the slow wire");
    expect(fixture.record.created(id).length).toBeGreaterThan(createdBefore);
    for (let move = 1; Date.now() < slowUntil; move++) {
      fixture.exchanges.setPrice(BOOK, SLOW_PRICES[move % SLOW_PRICES.length]!);
      await new Promise((resolve) => setTimeout(resolve, Math.min(4_000, slowUntil - Date.now())));
    }
    // It kept requoting over the slow wire: ladders of several of the prices were placed.
    const placedWhileSlow = fixture.record
      .created(id)
      .slice(createdBefore)
      .map((event) => samePrice(event.price));
    const laddersPlaced = SLOW_PRICES.filter((price) =>
      placedWhileSlow.some((placed) => ladderPrices(price).has(placed)),
    );
    expect(new Set(laddersPlaced).size).toBeGreaterThanOrEqual(3);
    const final = "50075";
    fixture.exchanges.setPrice(BOOK, final);
    const healedAt = Date.now();
    proxy.setMode({ kind: "pass" });
    await expectLadderBackWithinTwoCycles(runner, id, final, healedAt);
    await stopAndCheck(runner, id, [...new Set(["50000", ...SLOW_PRICES, final])]);
  },
  SLOW_FOR_MS + 90_000,
);
