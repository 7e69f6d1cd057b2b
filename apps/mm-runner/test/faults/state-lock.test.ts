/**
 * The state lock (`STATE_DIR/<MARKET_MAKER_ID>/lock.db`) is held by the kernel for the
 * runner's process: a restart right after SIGKILL takes over at once, stale files naming
 * some live pid do not matter, and a second live runner is refused. Built runner
 * (`node dist/main.js`), as production runs it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

it("a runner SIGKILLed and restarted at once takes over and cancels the killed run's orders before quoting", async () => {
  const id = "mm-lock-kill";
  const first = start(id, tempDir("mm-lock-"));
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the first ladder");
  const orphans = fixture.record.live(id, BOOK).map((order) => order.orderId);

  // The restart is spawned in the very callback that reports the death (well within 100 ms).
  let second: FaultRunner | undefined;
  let restartFrom = 0;
  const restarted = new Promise<FaultRunner>((resolve) => {
    first.child.once("exit", () => {
      restartFrom = fixture.record.mark();
      second = start(id, first.stateDir);
      resolve(second);
    });
  });
  first.kill("SIGKILL");
  const next = await restarted;

  const recovered = await next.waitForLog((line) => /earlier run/.test(line.msg));
  expect(recovered).toMatchObject({ cancelled: orphans.length, failed: 0 });
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the new run's ladder");
  // On the venue: every order of the killed run was cancelled before the new run's first order.
  const after = fixture.record.events.slice(restartFrom);
  const firstCreate = after.findIndex((e) => e.type === "order-created");
  const cancelledBefore = new Set(
    after.slice(0, firstCreate).flatMap((e) => (e.type === "order-canceled" ? [e.orderId] : [])),
  );
  expect(orphans.filter((orderId) => !cancelledBefore.has(orderId))).toEqual([]);
  expect(next.lines(/another mm-runner/)).toEqual([]);

  expect((await next.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
  expectNoSelfTrade(id, fixture.venue.trades());
});

it("starts although stale lock files name a live process that is not a runner", async () => {
  const id = "mm-lock-stale";
  const stateDir = tempDir("mm-lock-");
  const dir = runnerStateDir(stateDir, id);
  mkdirSync(dir, { recursive: true });
  // This test process is alive and is no runner: the old pid-file lock and the holder note.
  writeFileSync(join(dir, "lock"), JSON.stringify({ pid: process.pid }));
  writeFileSync(
    join(dir, "lock.holder.json"),
    JSON.stringify({ pid: process.pid, host: "elsewhere", since: "2020-01-01T00:00:00.000Z" }),
  );
  const runner = start(id, stateDir);
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the ladder");
  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
});

it("refuses a second live runner on the same STATE_DIR and MARKET_MAKER_ID, naming the folder and the holder", async () => {
  const id = "mm-lock-twice";
  const first = start(id, tempDir("mm-lock-"));
  await waitFor(() => fixture.record.live(id, BOOK).length === 6, 20_000, "the first ladder");
  const before = fixture.record
    .live(id, BOOK)
    .map((order) => order.orderId)
    .sort();
  const createdBefore = fixture.record.created(id).length;

  const second = start(id, first.stateDir);
  const exit = await second.closed;
  expect(exit.code).toBe(1);
  const refusal = second.lines(/another mm-runner holds the state folder/);
  expect(refusal).toHaveLength(1);
  expect(refusal[0]!.msg).toContain(runnerStateDir(first.stateDir, id));
  expect(refusal[0]!.msg).toContain(`pid ${first.child.pid}`);
  // The second run sent nothing: the first one's ladder is untouched.
  expect(fixture.record.created(id).length).toBe(createdBefore);
  expect(
    fixture.record
      .live(id, BOOK)
      .map((order) => order.orderId)
      .sort(),
  ).toEqual(before);

  expect((await first.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(id, fixture.venue.liveOrders());
});
