import { waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { pricesDerivableFrom } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";

const ID = "mm-f9";
const BOOK = "BTC-USDT";

const fixture = useFaultFixture({ [BOOK]: "50000" });

it("on SIGTERM mid-requote: finishes what is in flight, cancels everything, exits 0", async () => {
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
  });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the first ladder");

  fixture.venue.setLatency(150);
  let signalledAt = -1;
  const signalled = new Promise<void>((resolve) => {
    const stop = fixture.venue.onEvent((event) => {
      if (event.type !== "order-created" || event.userAddress !== ID) return;
      runner.kill("SIGTERM"); // the first new order of the requote has just landed
      signalledAt = fixture.record.mark();
      stop();
      resolve();
    });
  });
  fixture.exchanges.setPrice(BOOK, "50100");
  await signalled;
  const exit = await runner.closed;
  expect(exit.code).toBe(0);

  // The signal did land mid-cycle: that cycle ended as aborted, its later phases skipped.
  expect(runner.cycles().at(-1)).toMatchObject({ outcome: "aborted" });
  // What was in flight when the signal came still landed, and was cancelled with the rest.
  const landedAfter = fixture.record.events
    .slice(signalledAt)
    .flatMap((e) => (e.type === "order-created" && e.userAddress === ID ? [e.orderId] : []));
  expect(landedAfter.length).toBeGreaterThan(0);
  const cancelled = new Set(fixture.record.canceled(ID).map((event) => event.orderId));
  expect(landedAfter.filter((orderId) => !cancelled.has(orderId))).toEqual([]);
  const summary = runner.lines(/^stopped: \d+ orders cancelled/)[0];
  expect(summary).toMatchObject({ failed: 0 });
  expect(Number(summary?.cancelled)).toBeGreaterThanOrEqual(7);

  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom(["50000", "50100"]));
});
