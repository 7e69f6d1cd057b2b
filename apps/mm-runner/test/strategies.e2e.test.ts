import {
  killAllRunners,
  type PriceServer,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createTaker, type Taker } from "./faults/harness/taker.ts";

let venue: Venue;
let prices: PriceServer | undefined;
let taker: Taker | undefined;
let wiggle: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  venue = await startVenue();
});
afterAll(async () => {
  await venue.close();
});
afterEach(async () => {
  clearInterval(wiggle);
  taker?.close();
  killAllRunners();
  await prices?.close();
});

const BOOK = "BTC-USDT";
const TOKEN = "strategies-e2e-token";

function ladderOf() {
  const orders = venue.liveOrders(BOOK);
  const side = (s: "buy" | "sell") =>
    orders
      .filter((order) => order.side === s)
      .sort((a, b) => (s === "buy" ? -1 : 1) * (Number(a.price) - Number(b.price)));
  return { bids: side("buy"), asks: side("sell"), orders };
}

it("avellaneda-stoikov quotes on the venue: sizes per level, then leans against a long position", async () => {
  prices = await startPriceServer({ [BOOK]: "50000.00" });
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    PRICE_FEED: "poll",
    MARKET_SYMBOL: BOOK,
    MARKET_MAKER_ID: "mm-as",
    STRATEGY: "avellaneda-stoikov",
    AS_GAMMA: "1",
    AS_KAPPA: "1.5",
    VOLATILITY_WINDOW_SECONDS: "5",
    ORDER_SIZE: "0.01,0.02,0.04",
    PRICE_TICK: "0.01",
    UPDATE_INTERVAL_SECONDS: "0.3",
    STATE_DIR: tempDir(),
    METRICS_ADDR: "127.0.0.1:0",
    CONTROL_TOKEN: TOKEN,
  });

  // A still price: σ² = 0 and no position, so r = P and the spread is the 0.1 % floor:
  // exactly the seed's prices, with the sizes per level.
  const first = await waitFor(
    () => {
      const ladder = ladderOf();
      return ladder.orders.length === 6 && ladder;
    },
    20_000,
    "the first ladder",
  );
  expect(first.bids.map((o) => o.price)).toEqual(["49975.000", "49950.000", "49925.000"]);
  expect(first.asks.map((o) => o.price)).toEqual(["50025.000", "50050.000", "50075.000"]);
  expect(first.bids.map((o) => o.quantity)).toEqual(["0.010", "0.020", "0.040"]);
  expect(first.asks.map((o) => o.quantity)).toEqual(["0.010", "0.020", "0.040"]);
  const started = await runner.waitForLog((line) => String(line.msg).startsWith("worker thread"));
  expect(started.strategy).toBe("avellaneda-stoikov");

  // A taker sells into our best bid: we are long one order size (q = 1).
  taker = createTaker(venue.address, "taker-as");
  expect(await taker.take(BOOK, "sell", "49975.000", "0.01")).toBe("0.010");
  // The price wiggles by 10 so the window has volatility: r = P − q·γ·σ²·(T − t) falls far
  // enough below P that r + δ/2 < P, and the ask is held at P while the bid drops further.
  let up = false;
  wiggle = setInterval(() => {
    up = !up;
    prices?.prices.set(BOOK, up ? "50010.00" : "50000.00");
  }, 170);
  const leaning = await waitFor(
    () => {
      const ladder = ladderOf();
      const bid = ladder.bids[0];
      const ask = ladder.asks[0];
      if (ladder.orders.length !== 6 || !bid || !ask) return undefined;
      const atP = ask.price === "50000.000" || ask.price === "50010.000";
      return atP && Number(ask.price) - Number(bid.price) > 60 && ladder;
    },
    30_000,
    "the ask held at P and the bid lowered",
  );
  expect(leaning.bids.map((o) => o.quantity)).toEqual(["0.010", "0.020", "0.040"]);
  const bids = leaning.bids.map((o) => Number(o.price));
  expect(bids[0]).toBeGreaterThan(bids[1]!);
  expect(bids[1]).toBeGreaterThan(bids[2]!);
  // Only the taker ever traded with us: never our own orders with each other.
  expect(venue.trades(BOOK).every((trade) => trade.takerUserAddress === "taker-as")).toBe(true);

  clearInterval(wiggle);
  prices.prices.set(BOOK, "50000.00");

  // The sizes change live through the control API: from the list to a multiplier.
  const opsLine = await runner.waitForLog((line) => String(line.msg).startsWith("ops endpoint"));
  const ops = /http:\/\/[0-9.:]+/.exec(String(opsLine.msg))![0];
  const patch = (body: object) =>
    fetch(`${ops}/control/params`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ symbol: BOOK, ...body }),
    });
  const changed = await patch({ orderSize: "0.01", orderSizeMultiplier: "3", asGamma: "0.5" });
  expect(changed.status).toBe(200);
  await waitFor(
    () => {
      const ladder = ladderOf();
      const sizes = (o: { quantity: string }[]) => o.map((x) => x.quantity).join(",");
      return (
        ladder.orders.length === 6 &&
        sizes(ladder.bids) === "0.010,0.030,0.090" &&
        sizes(ladder.asks) === "0.010,0.030,0.090"
      );
    },
    20_000,
    "the sizes 0.01 × 3^(i − 1) on both sides",
  );
  // Two forms at once is refused, named, and nothing changes.
  const refused = await patch({ orderSizeStep: "0.01" });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain("cannot both be set");
  const inEffect = await fetch(`${ops}/control/params`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(JSON.stringify(await inEffect.json())).toContain('"orderSizeMultiplier"');

  runner.kill("SIGTERM");
  const exit = await runner.exited;
  expect(exit.code).toBe(0);
  expect(venue.liveOrders(BOOK)).toEqual([]);
});
