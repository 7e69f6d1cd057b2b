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

const SYMBOLS = Array.from({ length: 20 }, (_, i) => `L${String(i + 1).padStart(2, "0")}-USDT`);

let venue: Venue;
let prices: PriceServer;

beforeAll(async () => {
  // A venue a few ms away: cancels take real time, as over a network.
  venue = await startVenue({ latencyMs: 10 });
  prices = await startPriceServer(
    Object.fromEntries(SYMBOLS.map((symbol, i) => [symbol, String(100 + i)])),
  );
});
afterEach(() => killAllRunners());
afterAll(async () => {
  await prices.close();
  await venue.close();
});

const ours = (prefix: string) =>
  venue.liveOrders().filter((order) => order.userAddress.startsWith(prefix));

/** The built runner, as production starts 20 workers (from source each would load tsx). */
function start(id: string) {
  return startRunnerProcess(
    {
      MATCHINGO_GRPC_ADDR: venue.address,
      BINANCE_URL: prices.url,
      PRICE_SOURCES: "binance",
      MARKET_SYMBOLS: SYMBOLS.join(","),
      MARKET_MAKER_ID: id,
      NUM_LEVELS: "10",
      UPDATE_INTERVAL_SECONDS: "0.5",
      STATE_DIR: tempDir(),
      METRICS_ADDR: "off",
      // Tight on purpose: workers still loading must not eat the budget of the ones quoting.
      SHUTDOWN_TIMEOUT_SECONDS: "3",
    },
    [],
    { command: "built" },
  );
}

it("SIGTERM as the 20 workers start: the ones still loading are stopped at once, exit 0", async () => {
  const runner = start("mm-boot");
  await runner.waitForLog((line) => /one worker thread each/.test(line.msg), 30_000);
  runner.kill("SIGTERM");
  const exit = await runner.exited;
  expect(exit.code, runner.stderr()).toBe(0);
  expect(ours("mm-boot-")).toEqual([]);
  expect(runner.logs.some((line) => /did not stop within/.test(line.msg))).toBe(false);
  expect(runner.logs.some((line) => /still starting; stopped it/.test(line.msg))).toBe(true);
});

it("SIGTERM as the first orders land (most workers still booting): exit 0, nothing left", async () => {
  const runner = start("mm-load");
  // The moment the first orders of the first worker land, most others are still loading.
  await waitFor(() => ours("mm-load-").length > 0, 30_000, "the first order on the venue");
  runner.kill("SIGTERM");
  const exit = await runner.exited;
  expect(exit.code, runner.stderr()).toBe(0);
  expect(ours("mm-load-")).toEqual([]);
  const summary = runner.logs.find(
    (line) => typeof line.cancelled === "number" && /^stopped: /.test(line.msg),
  );
  expect(summary?.failed).toBe(0);
  expect(runner.logs.some((line) => /did not stop within/.test(line.msg))).toBe(false);
});
