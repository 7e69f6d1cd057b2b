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

const ID = "mm-f4";
const BOOK = "BTC-USDT";
const RETRY_AFTER_SECONDS = 2;

const fixture = useFaultFixture({ [BOOK]: "50000" });

beforeAll(async () => {
  fixture.exchanges.setPrice(BOOK, "50010", ["coinbase", "kraken"]);
});

const bestBid = () => fixture.record.bestBid(ID, BOOK);

it("sends Binance nothing inside its Retry-After window, quotes from Coinbase meanwhile, and returns to Binance after", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
  });
  await waitFor(() => bestBid() === ladderOf("50000").bids[0], 20_000, "quoting on Binance");

  fixture.exchanges.setFault("binance", {
    kind: "rate-limit",
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
  await waitFor(() => fixture.exchanges.windows.length === 1, 20_000, "the 429");
  const window = fixture.exchanges.windows[0]!;
  const from = runner.logs.length;
  // Past the window, Binance is asked again and answers: the runner goes back to it.
  await waitFor(
    () => fixture.exchanges.requests.some((r) => r.exchange === "binance" && r.at >= window.until),
    20_000,
    "Binance asked again after the window",
  );
  await waitFor(() => bestBid() === ladderOf("50000").bids[0], 20_000, "back on Binance");

  // The server saw no request inside the window.
  expect(fixture.exchanges.requests.filter((r) => r.insideRetryAfter)).toEqual([]);
  const binance = fixture.exchanges.requests.filter((r) => r.exchange === "binance");
  expect(binance.filter((r) => r.at > window.from && r.at < window.until)).toEqual([]);
  // Meanwhile the chain moved on: every cycle quoted, from Coinbase while Binance waited.
  const during = runner.logs.slice(from).filter((line) => typeof line.cycle === "number");
  expect(during.filter((line) => line.outcome !== "quoted")).toEqual([]);
  expect(during.filter((line) => line.source === "coinbase").length).toBeGreaterThanOrEqual(3);
  expect(
    fixture.exchanges.requests.filter(
      (r) => r.exchange === "coinbase" && r.at > window.from && r.at < window.until,
    ).length,
  ).toBeGreaterThanOrEqual(3);
  expect(runner.lines(/rate-limited/)).toHaveLength(1);
  await runner.waitForLog((line) => /failback: coinbase → binance/.test(line.msg));

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom(["50000", "50010"]));
});
