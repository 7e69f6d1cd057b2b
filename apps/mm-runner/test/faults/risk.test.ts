/**
 * Issue 13 end to end: the runner as a child process against the in-process venue, a taker
 * (its own gRPC client on 127.0.0.1) trading with our orders, prices from exchange-like
 * local servers. Position limit, inventory skew, the loss kill switch across restarts, and
 * the ledger across a SIGKILL.
 */

import { mkdirSync } from "node:fs";
import {
  add,
  compare,
  computeSkewedLadder,
  type Decimal,
  neg,
  parseDecimal,
  sub,
  ZERO,
} from "@matchingo-mm/core";
import { tempDir, waitFor } from "@matchingo-mm/testkit";
import type { VenueEvent } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ledgerPath, openLedger, runnerStateDir } from "../../src/index.ts";
import { expectNoneOfOursLive, expectNoSelfTrade } from "./harness/assertions.ts";
import { useFaultFixture } from "./harness/fixture.ts";
import { LADDER, samePrice } from "./harness/ladder.ts";
import { type FaultRunner, startFaultRunner } from "./harness/runner.ts";
import { createTaker, type Taker } from "./harness/taker.ts";
import { ownedBy } from "./harness/venue-record.ts";

const BOOK = "BTC-USDT";
const fixture = useFaultFixture({ [BOOK]: "50000" });
let taker: Taker;
beforeAll(() => {
  taker = createTaker(fixture.venue.address, "taker-risk");
});
afterAll(() => taker?.close());

const ours = (id: string, side: "buy" | "sell") =>
  fixture.record
    .live(id, BOOK)
    .filter((order) => order.side === side)
    .sort((a, b) => compare(parseDecimal(b.price), parseDecimal(a.price)));
const prices = (id: string, side: "buy" | "sell") => ours(id, side).map((o) => samePrice(o.price));

/**
 * Replays the venue's record: after every event, our position plus every live bid of ours
 * (filled completely) must stay within the limit, and likewise the asks on the short side.
 */
function limitBreaches(events: readonly VenueEvent[], id: string, maxPosition: string): string[] {
  const mine = ownedBy(id);
  const max = parseDecimal(maxPosition);
  const live = new Map<string, { side: "buy" | "sell"; remaining: Decimal }>();
  let position = ZERO;
  const breaches: string[] = [];
  for (const [index, event] of events.entries()) {
    if (event.type === "order-created" && mine(event.userAddress)) {
      const resting = parseDecimal(event.restingQuantity);
      if (compare(resting, ZERO) > 0)
        live.set(event.orderId, { side: event.side, remaining: resting });
    } else if (event.type === "trade" && mine(event.makerUserAddress)) {
      const quantity = parseDecimal(event.quantity);
      const order = live.get(event.makerOrderId);
      if (order) order.remaining = sub(order.remaining, quantity);
      position = event.takerSide === "sell" ? add(position, quantity) : sub(position, quantity);
    } else if (event.type === "order-canceled" && mine(event.userAddress)) {
      live.delete(event.orderId);
    } else continue;
    let bids = ZERO;
    let asks = ZERO;
    for (const order of live.values()) {
      if (order.side === "buy") bids = add(bids, order.remaining);
      else asks = add(asks, order.remaining);
    }
    if (compare(add(position, bids), max) > 0 || compare(sub(position, asks), neg(max)) < 0) {
      breaches.push(
        `event ${index} (${event.type}): position ${position.units}e-${position.scale}`,
      );
    }
  }
  return breaches;
}

/** Each scenario starts on an empty book: an earlier one's leftovers would take the trades. */
function expectEmptyBook(): void {
  expect(
    fixture.venue.liveOrders(BOOK).map((o) => `${o.userAddress} ${o.side} ${o.price}`),
    "orders left on the book by an earlier scenario",
  ).toEqual([]);
}

async function cyclesAfter(runner: FaultRunner, count: number): Promise<void> {
  const from = runner.cycles().length;
  await waitFor(() => runner.cycles().length >= from + count, 20_000, `${count} more cycles`);
}

it("a taker sweeps our bids: never an order that could pass MAX_POSITION, bids gone at the limit, asks stay", async () => {
  expectEmptyBook();
  const ID = "mm-r1";
  const from = fixture.record.mark();
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    env: { MAX_POSITION: "0.03" },
  });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder");
  for (let swept = 1; swept <= 3; swept++) {
    const [best] = ours(ID, "buy");
    expect(await taker.take(BOOK, "sell", best!.price, "0.01")).toBe("0.010");
    await runner.waitForLog(
      (line) => String(line.msg).startsWith("fill:") && line.position === `0.0${swept}`,
    );
    // The reaction: the ladder comes back with one bid fewer each time (room for 3 − swept).
    await waitFor(
      () => ours(ID, "buy").length === 3 - swept && ours(ID, "sell").length === 3,
      20_000,
      `${3 - swept} bids and 3 asks`,
    );
  }
  await cyclesAfter(runner, 3);
  expect(ours(ID, "buy")).toEqual([]);
  expect(ours(ID, "sell")).toHaveLength(3);
  // Learned by a poll, or by a requote's cancel that found the order just taken.
  const fills = runner.lines(/^fill: /);
  expect(fills.map((line) => line.position)).toEqual(["0.01", "0.02", "0.03"]);
  for (const line of fills) expect(["poll", "cancel-found-gone"]).toContain(line.via);

  expect((await runner.stop("SIGTERM")).code).toBe(0);
  const events = fixture.record.events.slice(from);
  expect(limitBreaches(events, ID, "0.03")).toEqual([]);
  // And the check can fail: the same record against a smaller limit is breached.
  expect(limitBreaches(events, ID, "0.02")).not.toEqual([]);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
  expectNoSelfTrade(ID, fixture.venue.trades(BOOK));
});

it("skew end to end: long half the limit with 0.2 % skew, the ladder sits around exactly P × 0.999", async () => {
  expectEmptyBook();
  const ID = "mm-r2";
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    env: { MAX_POSITION: "0.02", INVENTORY_SKEW_PERCENT: "0.2" },
  });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 4, 20_000, "the trimmed ladder");
  const [best] = ours(ID, "buy");
  expect(await taker.take(BOOK, "sell", best!.price, "0.01")).toBe("0.010");
  await runner.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.01",
  );
  // Centre 50000 × (1 − 0.2/100 × 0.01/0.02) = 49950: bids from 49925 (room for one),
  // asks from 49975 (room for 0.03: all three levels).
  await waitFor(
    () =>
      prices(ID, "buy").join() === "49925" &&
      prices(ID, "sell").join() === ["50025", "50000", "49975"].join(),
    20_000,
    "the skewed ladder",
  );
  const expected = computeSkewedLadder("50000", LADDER, {
    position: "0.01",
    maxPosition: "0.02",
    skewPercent: "0.2",
  });
  expect(expected.center).toBe("49950");
  expect(samePrice(expected.bids[0]!.price)).toBe("49925");
  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
});

it("kill switch: a falling tape with fills crosses MAX_LOSS; pulled, still pulled after a restart, resumed only by RESUME=1", async () => {
  expectEmptyBook();
  const ID = "mm-r3";
  fixture.exchanges.setPrice(BOOK, "50000");
  const first = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    env: { MAX_LOSS: "1", MAKER_FEE_BPS: "0" },
    ops: true,
  });
  const { stateDir } = first;
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder");
  // Long 0.01 at 49975.
  expect(await taker.take(BOOK, "sell", ours(ID, "buy")[0]!.price, "0.01")).toBe("0.010");
  await first.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.01",
  );
  // The tape falls; on the way the taker hits our new best bid (49925.025 at P 49950).
  fixture.exchanges.setPrice(BOOK, "49950");
  await waitFor(() => prices(ID, "buy")[0] === "49925.025", 20_000, "bids at 49950");
  expect(await taker.take(BOOK, "sell", ours(ID, "buy")[0]!.price, "0.01")).toBe("0.010");
  await first.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.02",
  );
  expect(first.lines(/HALTED/)).toEqual([]);
  // Long 0.02 costing 999.00025: at 49900 the loss is 1.00025.
  fixture.exchanges.setPrice(BOOK, "49900");
  const halted = await first.waitForLog((line) => /HALTED/.test(line.msg));
  expect(halted).toMatchObject({
    level: 50,
    realized: "0",
    unrealized: "-1.00025",
    position: "0.02",
  });
  expect(String(halted.reason)).toContain("reached MAX_LOSS 1");
  await waitFor(() => fixture.record.live(ID, BOOK).length === 0, 20_000, "quotes pulled");
  await cyclesAfter(first, 2);
  expect(first.cycles().at(-1)).toMatchObject({ outcome: "halted" });
  expect(fixture.record.live(ID, BOOK)).toEqual([]);
  // /status, /readyz and the metrics say so, naming the symbol and the reason.
  const status = await waitFor(
    async () => {
      const symbol = (await first.status()).symbols[0];
      return symbol?.state === "halted" ? symbol : undefined;
    },
    20_000,
    "/status to show the halt",
  );
  expect(status.reasons[0]).toContain("reached MAX_LOSS 1");
  expect(status.risk).toMatchObject({ state: "halted", realized: "0", unrealized: "-1.00025" });
  expect(status.position).toBe("0.02");
  const ops = String(first.lines(/ops endpoint/)[0]?.ops);
  const readyz = await fetch(`http://${ops}/readyz`);
  expect(readyz.status).toBe(503);
  const readiness = (await readyz.json()) as {
    symbols: Record<string, { state: string; reasons: string[] }>;
  };
  expect(readiness.symbols[BOOK]?.state).toBe("halted");
  expect(readiness.symbols[BOOK]?.reasons.join()).toContain("MAX_LOSS");
  const metrics = await (await fetch(`http://${ops}/metrics`)).text();
  expect(metrics).toContain(`mm_risk_state{symbol="${BOOK}",state="halted"} 1`);
  expect(metrics).toContain(`mm_pnl_unrealized{symbol="${BOOK}"} -1.00025`);
  const ledger = openLedger(ledgerPath(stateDir, ID), { readonly: true });
  expect(ledger.halted(BOOK)?.reason).toContain("MAX_LOSS");
  ledger.close();
  expect((await first.stop("SIGTERM")).code).toBe(0);

  // The price recovers and the runner restarts: still halted, nothing placed.
  fixture.exchanges.setPrice(BOOK, "50000");
  const second = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
    env: { MAX_LOSS: "1" },
  });
  const stays = await second.waitForLog((line) => /stays halted/.test(line.msg));
  expect(String(stays.reason)).toContain("MAX_LOSS");
  await cyclesAfter(second, 3);
  expect(second.cycles().every((line) => line.outcome === "halted")).toBe(true);
  expect(fixture.record.live(ID, BOOK)).toEqual([]);
  expect((await second.stop("SIGTERM")).code).toBe(0);

  // RESUME=1 lifts it: the ladder is back, and the ledger no longer holds the halt.
  const third = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
    env: { MAX_LOSS: "1", RESUME: "1" },
  });
  await third.waitForLog((line) => /RESUME=1: lifted the halt/.test(line.msg));
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder again");
  const restored = third.lines(/restored from the ledger/)[0];
  expect(restored).toMatchObject({ position: "0.02", realized: "0", fills: 2 });
  expect((await third.stop("SIGTERM")).code).toBe(0);
  const after = openLedger(ledgerPath(stateDir, ID), { readonly: true });
  expect(after.halted(BOOK)).toBeUndefined();
  after.close();
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
});

it("SIGKILL after fills, restart: position, realized P&L and fill count exactly as they were", async () => {
  expectEmptyBook();
  const ID = "mm-r4";
  fixture.exchanges.setPrice(BOOK, "50000");
  const first = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    env: { MAKER_FEE_BPS: "1.5" },
  });
  const { stateDir } = first;
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder");
  // Buy 0.01 at 49975, then sell 0.004 at 50025 (a partial fill of our best ask).
  expect(await taker.take(BOOK, "sell", ours(ID, "buy")[0]!.price, "0.01")).toBe("0.010");
  await first.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.01",
  );
  const [ask] = ours(ID, "sell").slice(-1);
  expect(await taker.take(BOOK, "buy", ask!.price, "0.004")).toBe("0.004");
  const last = await first.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.006",
  );
  // 0.004 × (50025 − 49975) = 0.2, minus fees 1.5 bps of 499.75 and of 200.1.
  expect(last).toMatchObject({ realized: "0.0950225" });
  first.kill("SIGKILL");
  expect((await first.closed).signal).toBe("SIGKILL");

  const ledger = openLedger(ledgerPath(stateDir, ID), { readonly: true });
  expect(ledger.pnl(BOOK)).toMatchObject({ position: "0.006", realized: "0.0950225", fills: 2 });
  expect(ledger.fills().map((fill) => [fill.side, fill.quantity])).toEqual([
    ["buy", "0.01"],
    ["sell", "0.004"],
  ]);
  ledger.close();

  const second = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
    env: { MAKER_FEE_BPS: "1.5" },
  });
  const restored = await second.waitForLog((line) => /restored from the ledger/.test(line.msg));
  expect(restored).toMatchObject({ position: "0.006", realized: "0.0950225", fills: 2 });
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the new ladder");
  // The next fill goes on from the restored position.
  expect(await taker.take(BOOK, "sell", ours(ID, "buy")[0]!.price, "0.002")).toBe("0.002");
  await second.waitForLog(
    (line) => String(line.msg).startsWith("fill:") && line.position === "0.008",
  );
  expect((await second.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
});

it("a halt kept in the ledger: the runner starts halted, and an operator's resume (control API) lifts it there too", async () => {
  expectEmptyBook();
  const ID = "mm-r5";
  const TOKEN = "risk-test-token";
  fixture.exchanges.setPrice(BOOK, "50000");
  const stateDir = tempDir("mm-r5-");
  mkdirSync(runnerStateDir(stateDir, ID), { recursive: true });
  const seeded = openLedger(ledgerPath(stateDir, ID));
  seeded.halt(BOOK, "kill switch: loss 7 reached MAX_LOSS 5");
  seeded.close();
  const runner = startFaultRunner({
    id: ID,
    venue: fixture.venue.address,
    prices: fixture.exchanges.url,
    stateDir,
    ops: true,
    env: { CONTROL_TOKEN: TOKEN },
  });
  await runner.waitForLog((line) => /stays halted/.test(line.msg));
  await cyclesAfter(runner, 3);
  expect(fixture.record.live(ID, BOOK)).toEqual([]);
  const status = (await runner.status()).symbols[0]!;
  expect(status.state).toBe("halted");
  expect(status.reasons[0]).toContain("loss 7 reached MAX_LOSS 5");

  const ops = String(runner.lines(/ops endpoint/)[0]?.ops);
  const resumed = await fetch(`http://${ops}/control/resume`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: "{}",
  });
  expect(resumed.status).toBe(200);
  await waitFor(() => fixture.record.live(ID, BOOK).length === 6, 20_000, "the ladder");
  await runner.waitForLog((line) => /halt lifted/.test(line.msg));
  const ledger = openLedger(ledgerPath(stateDir, ID), { readonly: true });
  expect(ledger.halted(BOOK)).toBeUndefined();
  ledger.close();
  await waitFor(
    async () => (await runner.status()).symbols[0]?.state === "quoting",
    20_000,
    "/status quoting",
  );
  expect((await runner.stop("SIGTERM")).code).toBe(0);
  expectNoneOfOursLive(ID, fixture.venue.liveOrders());
});
