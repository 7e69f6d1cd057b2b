/**
 * Runtime smoke test: drives core's public entry through the seed's ladder, a plan in both
 * modes and a few loop cycles against in-memory fakes, under whichever runtime runs it
 * (Node via tsx, Bun, Deno). Prints what it saw; any mismatch throws, so the exit code is
 * non-zero (no `process`: core's code must not need Node).
 */
import {
  computeLadder,
  createMarketMaker,
  type LiveOrder,
  parseOrderId,
  planCycle,
  type Side,
} from "../src/index.ts";
import { fakeClock, fakeFeed, fakeVenue } from "../test/fakes.ts";

const failures: string[] = [];
function same(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) console.log(`ok   ${what}: ${a}`);
  else {
    console.log(`FAIL ${what}: got ${a}, want ${e}`);
    failures.push(what);
  }
}

const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
console.log(`core smoke on ${runtime}`);

const params = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.01",
  qtyStep: "0.001",
};

// ------------------------------------------------------------------ ladder
const cycle1 = computeLadder("50000.00", params);
const cycle2 = computeLadder("50100.00", params);
same(
  "cycle 1 bids",
  cycle1.bids.map((l) => l.price),
  ["49975.00", "49950.00", "49925.00"],
);
same(
  "cycle 1 asks",
  cycle1.asks.map((l) => l.price),
  ["50025.00", "50050.00", "50075.00"],
);
same(
  "cycle 2 bids",
  cycle2.bids.map((l) => l.price),
  ["50074.95", "50049.90", "50024.85"],
);
same(
  "cycle 2 asks",
  cycle2.asks.map((l) => l.price),
  ["50125.05", "50150.10", "50175.15"],
);

// ------------------------------------------------------------------ plan
const ids = (ts: string) => (side: Side, level: number) => `mm-01-${side}-${level}-${ts}`;
const live: LiveOrder[] = [...cycle1.bids, ...cycle1.asks].map((l) => ({
  orderId: ids("1")(l.side, l.level),
  side: l.side,
  level: l.level,
  price: l.price,
  quantity: l.quantity,
}));
const replaceAll = planCycle({
  mode: "replace-all",
  book: "b",
  target: cycle2,
  live,
  orderId: ids("2"),
});
same(
  "replace-all cancels the six ids of cycle 1 first",
  replaceAll.phases.slice(0, 6).map((p) => (p[0]?.kind === "cancel" ? p[0].orderId : "?")),
  live.map((o) => o.orderId),
);
same("replace-all then places six", replaceAll.phases.slice(6).length, 6);
const diff = planCycle({ book: "b", target: cycle2, live, orderId: ids("2") });
same(
  "diff phases (free places, crossed cancels, waiting places, stale cancels)",
  diff.phases.map((p) => p.length),
  [4, 2, 2, 4],
);

// ------------------------------------------------------------------ loop
const clock = fakeClock();
const feed = fakeFeed(clock, "50000.00");
const venue = fakeVenue({ books: ["BTC-USDT"] });
const mm = createMarketMaker({
  symbol: "BTC-USDT",
  book: "BTC-USDT",
  marketMakerId: "mm-01",
  ladder: params,
  intervalMs: 1_000,
  feed,
  gateway: venue,
  clock,
});
const first = await mm.runCycle();
same("loop cycle 1", [first.outcome, first.placed, first.live], ["quoted", 6, { buy: 3, sell: 3 }]);
feed.script("50100.00");
const second = await mm.runCycle();
same(
  "loop cycle 2",
  [second.placed, second.canceled, second.bestBid, second.bestAsk],
  [6, 6, "50074.95", "50125.05"],
);
same(
  "venue holds the seed's cycle-2 prices",
  venue
    .live("BTC-USDT")
    .map((o) => o.price)
    .sort(),
  ["50024.85", "50049.90", "50074.95", "50125.05", "50150.10", "50175.15"],
);
same(
  "ids have the seed's form",
  venue.live("BTC-USDT").every((o) => parseOrderId(o.orderId, "mm-01") !== undefined),
  true,
);
same("no self-crossing", venue.crossings, []);
const summary = await mm.stop();
same(
  "stop cancels everything",
  [summary.canceled, summary.failed, venue.live("BTC-USDT").length],
  [6, [], 0],
);

if (failures.length > 0) throw new Error(`core smoke failed on ${runtime}: ${failures.join("; ")}`);
console.log(`core smoke passed on ${runtime}`);
