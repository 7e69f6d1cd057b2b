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
import { crashWorkerAfter } from "./helpers/crash-worker.ts";

let venue: Venue;
let prices: PriceServer;

beforeAll(async () => {
  venue = await startVenue();
  prices = await startPriceServer({ "BTC-USDT": "50000", "ETH-USDT": "3000" });
});
afterEach(() => {
  killAllRunners();
  venue.setLatency(0);
});
afterAll(async () => {
  await prices.close();
  await venue.close();
});

function env(extra: Record<string, string>): Record<string, string> {
  return {
    MATCHINGO_GRPC_ADDR: venue.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    UPDATE_INTERVAL_SECONDS: "0.3",
    METRICS_ADDR: "off",
    ...extra,
  };
}

const ours = (prefix: string) =>
  venue.liveOrders().filter((order) => order.userAddress.startsWith(prefix));

it.each([
  ["from source", "source"],
  ["built (node dist/main.js)", "built"],
] as const)(
  "SIGTERM mid-run, %s: the runner cancels everything, confirms and exits 0",
  async (_how, command) => {
    // Slow rpcs make it likely that the signal lands in the middle of a cycle.
    venue.setLatency(15);
    const runner = startRunnerProcess(
      env({
        MARKET_SYMBOLS: "BTC-USDT,ETH-USDT",
        MARKET_MAKER_ID: "mm-term",
        STATE_DIR: tempDir(),
      }),
      [],
      { command },
    );
    await waitFor(() => ours("mm-term").length === 12, 20_000, "both ladders");
    await runner.waitForLog((line) => line.cycle === 3);
    runner.kill("SIGTERM");
    const exit = await runner.exited;
    expect(exit.code).toBe(0);
    expect(ours("mm-term")).toEqual([]);
    const summary = runner.logs.find(
      (line) => typeof line.cancelled === "number" && /^stopped: /.test(line.msg),
    );
    expect(summary?.failed).toBe(0);
    expect(summary?.cancelled).toBeGreaterThanOrEqual(12);
  },
);

it("SIGKILL then restart: the killed run's orders are cancelled from the journal", async () => {
  const stateDir = tempDir();
  const settings = env({
    MARKET_SYMBOL: "BTC-USDT",
    MARKET_MAKER_ID: "mm-kill",
    STATE_DIR: stateDir,
  });
  const first = startRunnerProcess(settings);
  await waitFor(() => ours("mm-kill").length === 6, 20_000, "the first run's ladder");
  first.kill("SIGKILL");
  await first.exited;
  const orphans = ours("mm-kill").map((order) => order.orderId);
  expect(orphans.length).toBeGreaterThanOrEqual(6);

  const second = startRunnerProcess(settings);
  await waitFor(
    () => !ours("mm-kill").some((order) => orphans.includes(order.orderId)),
    20_000,
    "the orphans to go",
  );
  const recovered = await second.waitForLog((line) => /earlier run/.test(line.msg));
  expect(recovered.cancelled).toBe(orphans.length);
  await waitFor(() => ours("mm-kill").length === 6, 20_000, "the new ladder");
  second.kill("SIGINT");
  expect((await second.exited).code).toBe(0);
  expect(ours("mm-kill")).toEqual([]);
});

it("a crashed worker's orders are cancelled and the worker restarts", async () => {
  const crash = crashWorkerAfter("BTC-USDT", 2);
  const runner = startRunnerProcess(
    {
      ...env({ MARKET_SYMBOL: "BTC-USDT", MARKET_MAKER_ID: "mm-crash", STATE_DIR: tempDir() }),
      ...crash.env,
    },
    [],
    { preload: crash.preload },
  );
  await runner.waitForLog((line) => /worker crashed/.test(line.msg));
  await runner.waitForLog((line) => /cancelled the dead worker's orders/.test(line.msg));
  const cleanup = runner.logs.find((line) => /cancelled the dead worker's orders/.test(line.msg));
  expect(cleanup?.failed).toBe(0);
  expect((cleanup?.cancelled as number) + (cleanup?.alreadyGone as number)).toBeGreaterThanOrEqual(
    6,
  );
  await runner.waitForLog(
    (line) =>
      typeof line.threadId === "number" &&
      runner.logs.filter((l) => typeof l.threadId === "number").length === 2,
  );
  await waitFor(() => ours("mm-crash").length === 6, 20_000, "the restarted worker's ladder");
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
  expect(ours("mm-crash")).toEqual([]);
});
