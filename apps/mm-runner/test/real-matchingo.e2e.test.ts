/**
 * The runner against the real Matchingo server (the Go `cmd/server`, built from source by
 * `@matchingo-mm/venue/real`; see the root README), here without Kafka. Everything is read back
 * from the server over gRPC (GetOrderBookState, GetOrder): it has no other record. Where it
 * cannot run (no Go or source), one line says so and how many checks did not run; in CI that fails.
 */
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import {
  killAllRunners,
  type PriceServer,
  type RunnerProcess,
  SEED_ENV,
  seedCycle,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import {
  type RealVenue,
  realVenueRequired,
  realVenueUnavailable,
  startRealVenue,
} from "@matchingo-mm/venue/real";
import { afterEach, describe, expect, it } from "vitest";

const RUN_ENV = {
  ...SEED_ENV,
  PRICE_TICK: "0.01",
  UPDATE_INTERVAL_SECONDS: "0.3",
  METRICS_ADDR: "off",
};
// Matchingo shows prices with three decimals.
const CYCLE_1 = seedCycle(1, { digits: 3 });
const CYCLE_2 = seedCycle(2, { digits: 3 });
const BOOK = "BTC-USDT";

const unavailable = realVenueUnavailable();
const CHECK_COUNT = 4;

let server: RealVenue | undefined;
let client: MatchingoClient | undefined;
let prices: PriceServer | undefined;

afterEach(async () => {
  killAllRunners();
  client?.close();
  await server?.close();
  await prices?.close();
  client = undefined;
  server = undefined;
  prices = undefined;
});

async function setUp(price: string) {
  // No broker: the stall test below relies on the server's stall without one.
  server = await startRealVenue({ kafka: false });
  client = createMatchingoClient({ address: server.address, userAddress: "observer" });
  prices = await startPriceServer({ [BOOK]: price });
  return { server, client, prices };
}

function startRunner(env: Record<string, string> = {}): RunnerProcess {
  if (!server || !prices) throw new Error("setUp first");
  return startRunnerProcess({
    ...RUN_ENV,
    MATCHINGO_GRPC_ADDR: server.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOL: BOOK,
    STATE_DIR: tempDir(),
    ...env,
  });
}

/** The book as the server shows it: each level `price qty×count by user`. */
async function levels(venue: MatchingoClient) {
  const state = await venue.getOrderBookState(BOOK).catch(() => undefined);
  if (!state) return undefined;
  const show = (level: (typeof state.bids)[number]) =>
    `${level.price} ${level.totalQuantity}x${level.orderCount} ${level.userAddress}`;
  return { bids: state.bids.map(show), asks: state.asks.map(show) };
}

const ours = (ladder: { bids: string[]; asks: string[] }) => ({
  bids: ladder.bids.map((price) => `${price} 0.010x1 mm-01`),
  asks: ladder.asks.map((price) => `${price} 0.010x1 mm-01`),
});

async function waitForBook(venue: MatchingoClient, want: { bids: string[]; asks: string[] }) {
  const expected = JSON.stringify(want);
  let last: unknown;
  await waitFor(
    async () => {
      last = await levels(venue);
      return JSON.stringify(last) === expected;
    },
    30_000,
    `the book ${expected}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
  });
}

if (!unavailable) {
  describe("the runner against the real Matchingo (no Kafka)", () => {
    it.each([
      ["diff (default): concurrent creates and cancels", {}],
      ["replace-all", { REQUOTE_MODE: "replace-all" }],
    ])(
      "the seed's worked example, both cycles to three decimals, %s; SIGTERM empties the book",
      async (_mode, modeEnv) => {
        const { client, prices } = await setUp("50000.00");
        const runner = startRunner(modeEnv);
        await waitForBook(client, ours(CYCLE_1));
        prices.prices.set(BOOK, "50100.00");
        await waitForBook(client, ours(CYCLE_2));

        runner.kill("SIGTERM");
        expect((await runner.exited).code).toBe(0);
        expect(await levels(client)).toEqual({ bids: [], asks: [] });
      },
    );

    it("avellaneda-stoikov with sizes per level: on a still price, flat, the seed's prices with 0.01 / 0.02 / 0.04", async () => {
      const { client } = await setUp("50000.00");
      const runner = startRunner({
        STRATEGY: "avellaneda-stoikov",
        ORDER_SIZE: "0.01,0.02,0.04",
        PRICE_FEED: "poll",
      });
      // σ² = 0 and q = 0: r = P, and the model's spread is below the 0.1 % floor.
      const sized = (prices: string[]) =>
        prices.map((price, i) => `${price} ${["0.010", "0.020", "0.040"][i]}x1 mm-01`);
      await waitForBook(client, { bids: sized(CYCLE_1.bids), asks: sized(CYCLE_1.asks) });
      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      expect(await levels(client)).toEqual({ bids: [], asks: [] });
    });

    it("a crossing create that stalls past the deadline (Kafka) and lands is found and cancelled", async () => {
      const { client } = await setUp("50000.00");
      await client.ensureOrderBook(BOOK);
      // Someone else's ask, half our size, below where our best bid goes (49975).
      const other = createMatchingoClient({ address: server!.address, userAddress: "other-1" });
      await other.placeOrder({
        book: BOOK,
        orderId: "other-ask",
        side: "sell",
        price: "49970",
        quantity: "0.005",
      });
      other.close();
      // The real server answers a trading create only after its Kafka producer gave up
      // (≥ 750 ms with nothing on localhost:9092): far past this deadline.
      const runner = startRunner({ MATCHINGO_DEADLINE_SECONDS: "0.2" });

      const stalled = await runner.waitForLog(
        (line) => line.msg === "place failed" && line.uncertain === true,
        30_000,
      );
      // The other ask traded with it: the create did land.
      await waitFor(
        async () => (await client.getOrder(BOOK, "other-ask")).state === "gone",
        30_000,
        "the other ask to be taken",
      );
      await waitFor(
        async () => (await client.getOrder(BOOK, String(stalled.orderId))).state === "gone",
        30_000,
        `the stalled order ${String(stalled.orderId)} to be cancelled`,
      );
      await waitForBook(client, ours(CYCLE_1));

      runner.kill("SIGTERM");
      expect((await runner.exited).code).toBe(0);
      expect(await levels(client)).toEqual({ bids: [], asks: [] });
    });
  });
} else {
  describe(`real Matchingo: not installed, ${CHECK_COUNT} runner checks not run`, () => {
    it(unavailable, () => {
      console.log(
        `real Matchingo: not installed, ${CHECK_COUNT} runner checks not run: ${unavailable}`,
      );
      // In CI the real venue is required: .ci/run installs what it needs.
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}
