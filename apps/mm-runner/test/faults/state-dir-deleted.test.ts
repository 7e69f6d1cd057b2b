/**
 * Issue 22, defect 2: `STATE_DIR` deleted under a live runner. Before, the run kept
 * journaling into deleted files and a second runner with the same MARKET_MAKER_ID and
 * STATE_DIR started beside it (a new lock.db, a new lock): both quoted the same book, traded
 * with each other, and orders were left behind. Now the second is refused while the first
 * lives, and the first notices, stops quoting, cancels its orders from memory and exits 1
 * naming the folder. Built runner, as production runs it; checked on the venue's records.
 */
import { existsSync, rmSync } from "node:fs";
import { tempDir, waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { runnerStateDir } from "../../src/index.ts";
import { expectNoneOfOursLive, expectNoSelfTrade } from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { type FaultRunner, startFaultRunner } from "./harness/runner.ts";

const BOOK = "BTC-USDT";
const fixture = useFaultFixture({ [BOOK]: "50000" });

const start = (id: string, stateDir: string): FaultRunner =>
  startFaultRunner({
    id,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
    how: { command: "built" },
  });

it("STATE_DIR deleted under a live runner: a second runner is refused while the first lives; the first stops, cancels its orders and exits 1 naming the folder", async () => {
  const id = "mm-state-gone";
  const stateDir = tempDir("mm-state-gone-");
  const folder = runnerStateDir(stateDir, id);
  const first = start(id, stateDir);
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the first ladder");

  // The first run is frozen (alive, holding its locks, but its checks cannot run) while its
  // folder is deleted and a second runner tries the same MARKET_MAKER_ID and STATE_DIR.
  first.kill("SIGSTOP");
  rmSync(stateDir, { recursive: true, force: true });
  expect(existsSync(folder)).toBe(false);
  const createdBefore = fixture.record.created(id).length;
  const second = start(id, stateDir);
  const refused = await second.closed;
  expect(refused.code).toBe(1);
  const refusal = second.lines(/another mm-runner holds the state folder/);
  expect(refusal).toHaveLength(1);
  expect(refusal[0]!.msg).toContain(folder);
  // (Frozen, the holder cannot say who it is: the refusal does not rest on that.)
  expect(fixture.record.created(id).length).toBe(createdBefore);

  // The first run goes on: it notices, places nothing more, cancels its ladder, exits 1.
  first.kill("SIGCONT");
  const exit = await first.closed;
  expect(exit.code).toBe(1);
  const lost = first.lines(/is no longer this run's/);
  expect(lost).toHaveLength(1);
  expect(lost[0]!.msg).toContain(`state folder ${folder}`);
  expect(first.lines(/none of the orders we placed is left on the venue/)).toHaveLength(1);

  // The venue's own record, once both are gone: none of our orders, no trade with ourselves.
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
  expectNoSelfTrade(id, fixture.venue.trades());
  expect(fixture.record.canceled(id).length).toBeGreaterThanOrEqual(6);
});

it("a journal file deleted under a live runner: it stops quoting, cancels its orders and exits 1 naming the file", async () => {
  const id = "mm-journal-gone";
  const first = start(id, tempDir("mm-journal-gone-"));
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the ladder");
  const journal = `${runnerStateDir(first.stateDir, id)}/${BOOK}.journal`;
  rmSync(journal);
  const exit = await first.closed;
  expect(exit.code).toBe(1);
  const lost = first.lines(/is no longer this run's/);
  expect(lost).toHaveLength(1);
  expect(lost[0]!.msg).toContain(`the journal ${journal} vanished`);
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
});
