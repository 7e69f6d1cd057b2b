import { waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { ladderOf, ladderPrices, pricesDerivableFrom, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";

const ID = "mm-f6";
const BOOK = "BTC-USDT";
const BEFORE = "50000";
const JUMPED = "65000"; // +30 %

const fixture = useFaultFixture({ [BOOK]: BEFORE });

const bestBid = () => fixture.record.bestBid(ID, BOOK);
const quotingOn = (price: string) => () =>
  fixture.record.live(ID, BOOK).length === 6 && bestBid() === ladderOf(price).bids[0];

it("never places an order at an unconfirmed 30 % jump, and follows it once a second source confirms", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    // Binance alone must never earn trust here, however slow the machine: not by holding
    // its price (after the 1.5 s without an accepted one, a first price again) nor by time.
    env: {
      MAX_PRICE_AGE_SECONDS: "1.5",
      FIRST_PRICE_CONFIRMATIONS: "100",
      JUMP_ACCEPT_SECONDS: "600",
    },
  });
  await waitFor(quotingOn(BEFORE), 20_000, "quoting at 50000");

  // Binance alone jumps; Coinbase and Kraken still say 50000: the runner stays at 50000.
  fixture.exchanges.setPrice(BOOK, JUMPED, ["binance"]);
  await waitFor(() => runner.lines(/price jump rejected/).length >= 2, 20_000, "rejections");
  const cyclesNow = runner.cycles().length;
  await waitFor(() => runner.cycles().length >= cyclesNow + 3, 20_000, "three more cycles");
  expect(quotingOn(BEFORE)()).toBe(true);

  // Binance is the only source left: its jump is still refused, the quotes are pulled.
  fixture.exchanges.setFault("coinbase", { kind: "error" });
  fixture.exchanges.setFault("kraken", { kind: "error" });
  await runner.waitForLog((line) => /^quotes pulled/.test(line.msg));
  await waitFor(() => fixture.record.live(ID, BOOK).length === 0, 20_000, "the quotes pulled");

  // Nothing at the jumped level has reached the venue so far.
  const confirmFrom = fixture.record.mark();
  const jumpedLevels = ladderPrices(JUMPED);
  expect(
    fixture.record.created(ID).filter((order) => jumpedLevels.has(samePrice(order.price))),
  ).toEqual([]);
  expectPricedOnlyFrom(fixture.record.created(ID), ladderPrices(BEFORE));

  // Coinbase and Kraken come back at the new level: confirmed, the runner follows.
  fixture.exchanges.setPrice(BOOK, JUMPED, ["coinbase", "kraken"]);
  fixture.exchanges.setFault("coinbase", undefined);
  fixture.exchanges.setFault("kraken", undefined);
  await waitFor(quotingOn(JUMPED), 20_000, "quoting at 65000");
  // A second source confirms the jump; or, more than MAX_PRICE_AGE_SECONDS after the last
  // accepted price, the sources agree on it as a first price (issue 22).
  await runner.waitForLog((line) =>
    /jump confirmed by a second source|price of BTC-USDT trusted: .* agree/.test(line.msg),
  );
  const afterConfirm = fixture.record.events.slice(confirmFrom);
  expect(afterConfirm.filter((e) => e.type === "order-created").length).toBeGreaterThanOrEqual(6);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom([BEFORE, JUMPED]));
});
