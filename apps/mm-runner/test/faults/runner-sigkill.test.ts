/**
 * Fault 7: the runner is SIGKILLed while it quotes, in the middle of a requote (creates in
 * flight on a slow venue), and started again with the same STATE_DIR. Every order of the
 * killed run, including those that landed after it died, must be gone before the new run
 * places anything.
 */
import { appendFileSync } from "node:fs";
import { waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { journalPath, readJournalFile, runnerStateDir } from "../../src/index.ts";
import {
  expectNoneOfOursLive,
  expectNoSelfTrade,
  expectPricedOnlyFrom,
} from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { pricesDerivableFrom } from "./harness/ladder.ts";
import { startFaultRunner } from "./harness/runner.ts";

const ID = "mm-f7";
const BOOK = "BTC-USDT";

const fixture = useFaultFixture({ [BOOK]: "50000" });

it("cancels every order of a run killed mid-requote before the restarted run places anything", async () => {
  const first = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
  });
  const stateDir = first.stateDir;
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the first ladder");

  // A requote on a slow venue: kill -9 the moment its first new order lands, while the
  // rest of that phase is still on its way (and will land after the runner is dead).
  fixture.venue.setLatency(80);
  const killedAt = new Promise<number>((resolve) => {
    const stop = fixture.venue.onEvent((event) => {
      if (event.type !== "order-created" || event.userAddress !== ID) return;
      if (event.price !== "50074.950") return;
      first.kill("SIGKILL");
      stop();
      resolve(fixture.record.mark());
    });
  });
  fixture.exchanges.setPrice(BOOK, "50100");
  await killedAt;
  expect((await first.closed).signal).toBe("SIGKILL");
  fixture.venue.setLatency(0);
  // Whatever was in flight lands within the latency: wait until the venue is quiet.
  let quietSince = fixture.record.mark();
  await waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const quiet = fixture.record.mark() === quietSince;
      quietSince = fixture.record.mark();
      return quiet;
    },
    5_000,
    "the venue to settle",
  );
  const orphans = fixture.record.live(ID, BOOK).map((order) => order.orderId);
  expect(orphans.length).toBeGreaterThanOrEqual(6);
  // Every one of them is in the journal (written before its CreateOrder was sent).
  const journal = journalPath(runnerStateDir(stateDir, ID), BOOK);
  const journaled = new Set([...readJournalFile(journal).open.values()].map((entry) => entry.id));
  expect(orphans.filter((orderId) => !journaled.has(orderId))).toEqual([]);
  // The kill may also tear a line mid-write: the next start must take that in its stride.
  appendFileSync(journal, `{"op":"open","book":"${BOOK}","id":"${ID}-buy-1-`);

  const restartFrom = fixture.record.mark();
  const second = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
  });
  const recovered = await second.waitForLog((line) => /earlier run/.test(line.msg));
  expect(recovered).toMatchObject({ cancelled: orphans.length, failed: 0, torn: 1 });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the new run's ladder");
  expect(fixture.record.live(ID, BOOK).filter((order) => orphans.includes(order.orderId))).toEqual(
    [],
  );
  // Order of events on the venue: every orphan was cancelled before the new run's first order.
  const after = fixture.record.events.slice(restartFrom);
  const firstCreate = after.findIndex((e) => e.type === "order-created");
  const cancelledBefore = new Set(
    after.slice(0, firstCreate).flatMap((e) => (e.type === "order-canceled" ? [e.orderId] : [])),
  );
  expect(orphans.filter((orderId) => !cancelledBefore.has(orderId))).toEqual([]);

  expect((await second.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades());
  expectPricedOnlyFrom(fixture.record.created(ID), pricesDerivableFrom(["50000", "50100"]));
  expect(readJournalFile(journal).open.size).toBe(0);
});
