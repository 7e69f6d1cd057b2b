/**
 * Core-only figures (no network, no gRPC): the loop against the in-memory fake venue over
 * the 1,000-tick random-walk tape (per-tick sd 0.02% of price, N = 10, base spread
 * 0.1%, step 0.05%), replace-all against diff at REFRESH_TOLERANCE_PERCENT = 0.05.
 * Prints a table; the end-to-end benchmark over gRPC lives with the runner.
 */
import { createMarketMaker, formatDecimal, type MarketMakerEvent } from "../src/index.ts";
import { fakeClock, fakeFeed, fakeVenue } from "../test/fakes.ts";

const TICKS = 1_000;
const LEVELS = 10;

/** Deterministic tape in integer cents (seeded, so every run compares the same prices). */
function tape(seed: number, startCents: bigint): string[] {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const prices: string[] = [];
  let cents = startCents;
  for (let i = 0; i < TICKS; i++) {
    // Only the random draw is a float; the price itself stays in whole cents.
    cents += BigInt(Math.round(Number(cents) * 0.0002 * normal()));
    prices.push(formatDecimal({ units: cents, scale: 2 }));
  }
  return prices;
}

interface Figures {
  mode: string;
  tolerance: string;
  requoteRpcs: number;
  allRpcs: number;
  crossings: number;
  minDepth: number;
  msPerCycle: number;
}

async function run(
  mode: "replace-all" | "diff",
  tolerance: string,
  prices: string[],
): Promise<Figures> {
  const clock = fakeClock();
  const feed = fakeFeed(clock, prices[0]!);
  const venue = fakeVenue({ books: ["BTC-USDT"] });
  let minDepth = Number.POSITIVE_INFINITY;
  let stopping = false;
  let requoteRpcs = 0;
  let allRpcs = 0;
  const onEvent = (event: MarketMakerEvent) => {
    if (event.type !== "cycle" || event.cycle === 1) return;
    requoteRpcs += event.rpcs.placeOrder + event.rpcs.cancelOrder;
    allRpcs += event.rpcs.total;
  };
  const cancel = venue.cancelOrder.bind(venue);
  venue.cancelOrder = async (book, id, options) => {
    const outcome = await cancel(book, id, options);
    const live = venue.live("BTC-USDT");
    const depth = Math.min(
      ...(["buy", "sell"] as const).map((s) => live.filter((o) => o.side === s).length),
    );
    if (mode === "diff" && !stopping) minDepth = Math.min(minDepth, depth);
    return outcome;
  };
  const mm = createMarketMaker({
    symbol: "BTC-USDT",
    book: "BTC-USDT",
    marketMakerId: "bench",
    ladder: {
      levels: LEVELS,
      baseSpreadPercent: "0.1",
      priceStepPercent: "0.05",
      orderSize: "0.01",
      priceTick: "0.01",
      qtyStep: "0.001",
    },
    requoteMode: mode,
    refreshTolerancePercent: tolerance,
    feed,
    gateway: venue,
    clock,
    onEvent,
  });
  const started = performance.now();
  for (const price of prices) {
    feed.script(price);
    clock.advance(10_000);
    await mm.runCycle();
  }
  const elapsed = performance.now() - started;
  stopping = true;
  await mm.stop();
  return {
    mode,
    tolerance,
    requoteRpcs: requoteRpcs / (prices.length - 1),
    allRpcs: allRpcs / (prices.length - 1),
    crossings: venue.crossings.length,
    minDepth: mode === "diff" ? minDepth : 0,
    msPerCycle: elapsed / prices.length,
  };
}

const prices = tape(42, 5_000_000n);
const baseline = await run("replace-all", "0", prices);
const diff = await run("diff", "0.05", prices);
const diffExact = await run("diff", "0", prices);
console.log(`core loop over a ${TICKS}-tick tape, N = ${LEVELS}, in-memory venue (no network)`);
console.table(
  [baseline, diff, diffExact].map((f) => ({
    mode: f.mode,
    "tolerance %": f.tolerance,
    "create+cancel / cycle": f.requoteRpcs.toFixed(2),
    "all RPCs / cycle": f.allRpcs.toFixed(2),
    "vs replace-all (all RPCs)": `${((100 * f.allRpcs) / baseline.allRpcs).toFixed(1)}%`,
    "self-crossings": f.crossings,
    "min depth during requote": f.mode === "diff" ? f.minDepth : "n/a (cancels first)",
    "ms / cycle (core + fake)": f.msPerCycle.toFixed(3),
  })),
);
