/**
 * Fault 5: garbage instead of a price (HTML, truncated JSON, another shape, a missing field,
 * "0", negative, non-numeric, a JSON number, an exponent, another symbol, a stale tick),
 * from each exchange in turn, with a healthy second source. Every order the venue ever saw
 * from us must be priced from a tick that was good; when every source sends garbage,
 * nothing is quoted.
 */

import {
  type ExchangeName,
  GARBAGE,
  type Garbage,
  POISON,
  startFaultyExchanges,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue } from "@matchingo-mm/venue";
import { describe, expect, it, type TestContext } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { pricesDerivableFrom, samePrice } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";
import { recordVenue } from "./harness/venue-record.ts";

const BOOK = "BTC-USDT";
const GOOD = { primary: "50000", fallback: "50010" };

async function throughGarbage(
  context: TestContext,
  primary: ExchangeName,
  fallback: ExchangeName,
  payloads: readonly Garbage[],
): Promise<void> {
  const id = `mm-f5-${primary}`;
  const venue = await startVenue();
  const record = recordVenue(venue);
  const exchanges = await startFaultyExchanges({ [BOOK]: GOOD.fallback });
  exchanges.setPrice(BOOK, GOOD.primary, [primary]);
  context.onTestFinished(async () => {
    record.stop();
    await venue.close();
    await exchanges.close();
  });
  const runner = startFaultRunner({
    id,
    venue: venue.address,
    prices: exchanges.url,
    env: {
      PRICE_SOURCES: `${primary},${fallback}`,
      UPDATE_INTERVAL_SECONDS: "0.2",
      MAX_PRICE_AGE_SECONDS: "1",
    },
    onTestFinished: context.onTestFinished,
  });
  await waitFor(() => record.live(id, BOOK).length === 6, 20_000, "the first ladder");

  // Each garbage answer is followed by a healthy one, so the source is in good standing
  // (no growing back-off) when the next garbage arrives.
  exchanges.queue(
    primary,
    payloads.flatMap((payload) => [{ kind: "garbage", payload } as const, undefined]),
  );
  await waitFor(() => exchanges.queued(primary) === 0, 30_000, `${primary} to serve it all`);
  const served = exchanges.requests.filter((r) => r.exchange === primary).map((r) => r.fault);
  for (const payload of payloads) expect(served).toContain(`garbage:${payload}`);

  // Garbage from every source at once: no price at all, so the quotes are pulled.
  exchanges.setFault(primary, { kind: "garbage", payload: "truncated" });
  exchanges.setFault(fallback, { kind: "garbage", payload: "wrong-shape" });
  await waitFor(() => record.live(id, BOOK).length === 0, 20_000, "the quotes pulled");
  const pulledAt = record.mark();
  const cyclesNow = runner.cycles().length;
  await waitFor(() => runner.cycles().length >= cyclesNow + 3, 20_000, "three more cycles");
  expect(record.events.slice(pulledAt).filter((e) => e.type === "order-created")).toEqual([]);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(id, venue.liveOrders());
  expectNoSelfTrade(id, venue.trades());
  // The venue's own record: every order we ever placed came from a good tick.
  const good = pricesDerivableFrom([GOOD.primary, GOOD.fallback]);
  expectPricedOnlyFrom(record.created(id), good);
  const poisoned = pricesDerivableFrom(
    Object.values(POISON).filter((price) => /^\d+(\.\d+)?$/.test(price) && Number(price) > 0),
  );
  expect(record.created(id).filter((order) => poisoned.has(samePrice(order.price)))).toEqual([]);
  // And the runner's own cycles only ever quoted a good price.
  const quoted = new Set(runner.cycles().flatMap((line) => (line.price ? [line.price] : [])));
  expect([...quoted].filter((price) => !Object.values(GOOD).includes(String(price)))).toEqual([]);
  expect(record.created(id).length).toBeGreaterThanOrEqual(6);
}

// A source that failed is left alone for a second, so each garbage answer costs about that
// long: the three exchanges run side by side, each with its own runner, venue and server.
describe.concurrent("garbage payloads never price an order", () => {
  it.for([
    ["binance", "coinbase"],
    ["coinbase", "kraken"],
    ["kraken", "binance"],
  ] as const)("from %s (%s healthy)", ([primary, fallback], context) =>
    throughGarbage(context, primary, fallback, GARBAGE[primary]),
  );
});
