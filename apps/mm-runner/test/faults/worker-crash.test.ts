import { waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { crashWorkerAfter } from "../helpers/crash-worker.ts";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { pricesDerivableFrom } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";

const ID = "mm-f8";
const BTC = { symbol: "BTC-USDT", id: `${ID}-BTC-USDT` };
const ETH = { symbol: "ETH-USDT", id: `${ID}-ETH-USDT` };

const fixture = useFaultFixture({ [BTC.symbol]: "50000", [ETH.symbol]: "3000" });

const ids = (marketMakerId: string, book: string) =>
  fixture.record
    .live(marketMakerId, book)
    .map((order) => order.orderId)
    .sort();

it("cancels a crashed worker's orders, restarts it, and leaves the other symbol undisturbed", async () => {
  const crashHook = crashWorkerAfter(BTC.symbol, 3);
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    symbols: [BTC.symbol, ETH.symbol],
    env: crashHook.env,
    how: { preload: crashHook.preload },
  });
  await waitFor(
    () => ids(BTC.id, BTC.symbol).length === 6 && ids(ETH.id, ETH.symbol).length === 6,
    20_000,
    "both ladders",
  );
  const ethBefore = ids(ETH.id, ETH.symbol);
  // The price stands still, so these are the orders the worker holds when it crashes.
  const btcOfDeadWorker = ids(BTC.id, BTC.symbol);
  expect(btcOfDeadWorker).toHaveLength(6);
  const ethEventsFrom = fixture.record.mark();

  const crash = await runner.waitForLog(
    (line) => /worker crashed/.test(line.msg) && line.symbol === BTC.symbol,
  );
  const crashAt = runner.logs.indexOf(crash);
  const cleanup = await runner.waitForLog((line) =>
    /cancelled the dead worker's orders/.test(line.msg),
  );
  expect(cleanup).toMatchObject({ symbol: BTC.symbol, failed: 0 });
  expect(Number(cleanup.cancelled) + Number(cleanup.alreadyGone)).toBeGreaterThanOrEqual(6);

  // A new worker thread quotes BTC again, with new orders.
  await waitFor(
    () => runner.lines(/^worker thread \d+ quoting/, BTC.symbol).length === 2,
    20_000,
    "the restarted worker",
  );
  await waitFor(() => ids(BTC.id, BTC.symbol).length === 6, 20_000, "BTC quoting again");
  const btcNow = ids(BTC.id, BTC.symbol);
  expect(btcNow.filter((orderId) => btcOfDeadWorker.includes(orderId))).toEqual([]);
  const canceled = new Set(fixture.record.canceled(BTC.id).map((event) => event.orderId));
  expect(btcOfDeadWorker.filter((orderId) => !canceled.has(orderId))).toEqual([]);
  const threads = runner.lines(/^worker thread \d+ quoting/).map((line) => line.threadId);
  expect(new Set(threads).size).toBe(3);

  // ETH: same orders throughout, nothing created or cancelled, and it kept cycling.
  expect(ids(ETH.id, ETH.symbol)).toEqual(ethBefore);
  const ethEvents = fixture.record.events
    .slice(ethEventsFrom)
    .filter((event) => "book" in event && event.book === ETH.symbol);
  expect(ethEvents).toEqual([]);
  const restartedAt = runner.logs.indexOf(
    runner.lines(/^worker thread \d+ quoting/, BTC.symbol)[1]!,
  );
  const ethCyclesWhileDown = runner.logs
    .slice(crashAt, restartedAt)
    .filter((line) => typeof line.cycle === "number" && line.symbol === ETH.symbol);
  expect(ethCyclesWhileDown.length).toBeGreaterThanOrEqual(2);
  expect(ethCyclesWhileDown.every((line) => line.outcome === "quoted")).toBe(true);
  expect(runner.lines(/worker crashed/, ETH.symbol)).toEqual([]);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom(["50000", "3000"]));
});
