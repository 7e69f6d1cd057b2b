import { waitFor } from "@matchingo-mm/testkit";
import { beforeAll, expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { ladderOf, pricesDerivableFrom } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";

const ID = "mm-f3";
const BOOK = "BTC-USDT";
// Each exchange answers its own price, so the book shows which one the runner follows.
const PRICE = { binance: "50000", coinbase: "50010", kraken: "50020" } as const;

const fixture = useFaultFixture({ [BOOK]: PRICE.binance });

beforeAll(async () => {
  fixture.exchanges.setPrice(BOOK, PRICE.coinbase, ["coinbase"]);
  fixture.exchanges.setPrice(BOOK, PRICE.kraken, ["kraken"]);
});

const bestBid = () => fixture.record.bestBid(ID, BOOK);
const quotingOn = (price: string) => () =>
  fixture.record.live(ID, BOOK).length === 6 && bestBid() === ladderOf(price).bids[0];

it("fails over source by source without losing a cycle, pulls every quote when all fail, requotes when a price returns", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    env: { UPDATE_INTERVAL_SECONDS: "0.3", MAX_PRICE_AGE_SECONDS: "1.5" },
  });
  await waitFor(quotingOn(PRICE.binance), 20_000, "quoting on Binance's price");

  // Binance breaks: Coinbase answers in the same round, so no cycle goes without a price.
  let from = runner.logs.length;
  fixture.exchanges.setFault("binance", { kind: "error" });
  await waitFor(quotingOn(PRICE.coinbase), 20_000, "quoting on Coinbase's price");
  await waitFor(() => runner.cycles().filter((l) => l.source === "coinbase").length >= 3);
  const afterBinance = runner.logs.slice(from).filter((line) => typeof line.cycle === "number");
  expect(afterBinance.filter((line) => line.outcome !== "quoted")).toEqual([]);
  // (A tick fetched just before the fault may still serve one cycle: the feed is shared.)
  const switched = afterBinance.findIndex((line) => line.source === "coinbase");
  expect(afterBinance.slice(switched).map((line) => line.source)).not.toContain("binance");
  await runner.waitForLog((line) => /failover: binance → coinbase/.test(line.msg));

  // Coinbase's connection is cut too: Kraken answers.
  from = runner.logs.length;
  fixture.exchanges.setFault("coinbase", { kind: "refuse" });
  await waitFor(quotingOn(PRICE.kraken), 20_000, "quoting on Kraken's price");
  await runner.waitForLog(
    (line) =>
      typeof line.cycle === "number" &&
      line.source === "kraken" &&
      runner.logs.indexOf(line) >= from,
  );
  expect(runner.lines(/quotes pulled/)).toEqual([]);
  const afterCoinbase = runner.logs.slice(from).filter((line) => typeof line.cycle === "number");
  const toKraken = afterCoinbase.findIndex((line) => line.source === "kraken");
  const sources = new Set(afterCoinbase.slice(toKraken).map((line) => line.source));
  expect([...sources].filter((source) => source !== undefined)).toEqual(["kraken"]);

  // All three down: after MAX_PRICE_AGE_SECONDS nothing of ours is left on the book.
  fixture.exchanges.setFault("kraken", { kind: "error" });
  await runner.waitForLog((line) => /^quotes pulled/.test(line.msg));
  await waitFor(() => fixture.record.live(ID, BOOK).length === 0, 20_000, "the quotes pulled");
  const pulledAt = fixture.record.mark();
  // A few cycles later still nothing is placed: the price is still missing.
  const cyclesNow = runner.cycles().length;
  await waitFor(() => runner.cycles().length >= cyclesNow + 3, 20_000, "three more cycles");
  expect(fixture.record.events.slice(pulledAt).filter((e) => e.type === "order-created")).toEqual(
    [],
  );
  expect(fixture.record.live(ID, BOOK)).toEqual([]);

  // A good price returns (Kraken recovers first: it has failed for the shortest time).
  fixture.exchanges.setFault("kraken", undefined);
  await waitFor(quotingOn(PRICE.kraken), 20_000, "requoted on Kraken's price");
  await runner.waitForLog((line) => /^quotes resumed/.test(line.msg));
  expect(runner.lines(/^quotes pulled/)).toHaveLength(1);
  expect(runner.lines(/^quotes resumed/)).toHaveLength(1);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom(Object.values(PRICE)));
});
