import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type PriceServer, startPriceServer, tempDir, waitFor } from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { ParamsRejected, UnknownSymbolError } from "../../src/control/index.ts";
import { type Runner, startRunner } from "../../src/runner.ts";
import { LADDER, LADDER_ENV, ladderOf, samePrice } from "../faults/harness/ladder.ts";

const BTC = "BTC-USDT";
const ETH = "ETH-USDT";
const ID = "mm-ctl";

let venue: Venue;
let prices: PriceServer;
let runner: Runner;
const logs: Record<string, unknown>[] = [];
const stateDir = tempDir("mm-control-");
/** The config file SIGHUP re-reads (the rest comes from the environment and flags). */
const configFile = join(tempDir("mm-control-file-"), "mm.yaml");
writeFileSync(configFile, 'makerFeeBps: "0"\n');

/** The configuration as the start resolves it; `env` adds to (SIGHUP: what changed). */
const resolve = (env: Record<string, string | undefined> = {}) =>
  resolveConfig({
    argv: ["--num-levels", "3"],
    env: {
      ...LADDER_ENV,
      NUM_LEVELS: undefined,
      BASE_SPREAD_PERCENT: undefined,
      MATCHINGO_GRPC_ADDR: venue.address,
      BINANCE_URL: prices.url,
      COINBASE_URL: prices.url,
      KRAKEN_URL: prices.url,
      MARKET_SYMBOLS: `${BTC},${ETH}`,
      MARKET_MAKER_ID: ID,
      UPDATE_INTERVAL_SECONDS: "0.3",
      SHUTDOWN_TIMEOUT_SECONDS: "5",
      METRICS_ADDR: "off",
      STATE_DIR: stateDir,
      MM_CONFIG: configFile,
      ...env,
    },
    cwd: process.cwd(),
  });

/** The runner in this process: real worker threads, real gRPC to a venue on 127.0.0.1. */
beforeAll(async () => {
  venue = await startVenue();
  prices = await startPriceServer({ [BTC]: "50000", [ETH]: "3000" });
  const resolved = resolve();
  if (!resolved.config) throw new Error(JSON.stringify(resolved.problems));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  runner = await startRunner(resolved.config, pino({ level: "info" }, sink));
});
afterAll(async () => {
  await runner?.shutdown("test over");
  await prices?.close();
  await venue?.close();
});

const ours = (book: string) =>
  venue.liveOrders(book).filter((order) => order.userAddress.startsWith(ID));
const book = (name: string) => {
  const orders = ours(name);
  const sorted = (side: "buy" | "sell") =>
    orders
      .filter((order) => order.side === side)
      .map((order) => samePrice(order.price))
      .sort((a, b) => (side === "buy" ? Number(b) - Number(a) : Number(a) - Number(b)));
  return { bids: sorted("buy"), asks: sorted("sell") };
};
const cyclesOf = (symbol: string) =>
  runner.getStatus().symbols.find((each) => each.symbol === symbol)?.cycles ?? 0;
/** What `/status` shows of the symbol's ladder right now. */
const ladderShown = (symbol: string) => {
  const status = runner.getStatus().symbols.find((each) => each.symbol === symbol)!;
  return { state: status.state, bids: status.bids.length, asks: status.asks.length };
};
/** Waits until the symbol's worker ran `count` more cycles. */
async function moreCycles(symbol: string, count: number) {
  const from = cyclesOf(symbol);
  await waitFor(() => cyclesOf(symbol) >= from + count, 20_000, `${count} cycles of ${symbol}`);
}

it("says at start which values are in effect and where each came from", async () => {
  await waitFor(
    () => book(BTC).bids.length === 3 && book(ETH).bids.length === 3,
    20_000,
    "ladders",
  );
  const line = logs.find((each) => String(each.msg).startsWith(`parameters in effect for ${BTC}`));
  expect(line?.msg).toContain("numLevels=3 (flag: --num-levels)");
  expect(line?.msg).toContain("baseSpreadPercent=0.1 (default)");
  expect(line?.msg).toContain("orderSize=0.01 (env: ORDER_SIZE)");
  const btc = runner.control.params().find((each) => each.symbol === BTC)!;
  expect(btc.params.numLevels).toEqual({ value: 3, origin: "flag", name: "--num-levels" });
  expect(btc.params.priceStepPercent).toEqual({
    value: "0.05",
    origin: "env",
    name: "PRICE_STEP_PERCENT",
  });
  expect(btc.params.baseSpreadPercent.origin).toBe("default");
});

it("pause empties the symbol's book on the venue (confirmed), keeps it empty, resume restores the full ladder", async () => {
  await waitFor(() => ours(BTC).length === 6, 20_000, "BTC ladder");
  await moreCycles(BTC, 1);
  const ethBefore = ours(ETH).map((order) => order.orderId);
  const paused = await runner.control.pause(BTC);
  expect(paused.symbols).toEqual([BTC]);
  expect(paused).toMatchObject({ cancelled: 6, alreadyGone: 0 });
  expect(paused.failed).toEqual([]);
  // Confirmed: gone when the call returns, and nothing placed while paused.
  expect(ours(BTC)).toEqual([]);
  // The status (and so the page and mm_live_orders) says so as the answer comes, not a
  // cycle later.
  expect(ladderShown(BTC)).toEqual({ state: "paused", bids: 0, asks: 0 });
  await moreCycles(BTC, 3);
  expect(ours(BTC)).toEqual([]);
  expect(ours(ETH).map((order) => order.orderId)).toEqual(ethBefore);

  expect(await runner.control.resume(BTC)).toEqual({ symbols: [BTC] });
  await waitFor(
    () => book(BTC).bids.length === 3 && book(BTC).asks.length === 3,
    20_000,
    "BTC back",
  );
  expect(book(BTC)).toEqual(ladderOf("50000"));
});

it("a spread change shows in the next ladder, at exact prices, and params() says it came from control", async () => {
  await waitFor(() => book(ETH).bids.length === 3, 20_000, "ETH ladder");
  const after = await runner.control.updateParams(ETH, { baseSpreadPercent: "0.2" });
  expect(after).toHaveLength(1);
  expect(after[0]!.params.baseSpreadPercent).toEqual({
    value: "0.2",
    origin: "control",
    name: "PATCH /control/params",
  });
  const wanted = ladderOf("3000", { ...LADDER, baseSpreadPercent: "0.2" });
  expect(wanted.bids[0]).toBe("2997");
  await waitFor(
    () => JSON.stringify(book(ETH)) === JSON.stringify(wanted),
    20_000,
    "ETH ladder at the new spread",
  );
  // BTC was not asked.
  expect(
    runner.control.params().find((each) => each.symbol === BTC)!.params.baseSpreadPercent,
  ).toMatchObject({ value: "0.1", origin: "default" });
});

it("bad params: every problem named with its field and value, nothing changed on any symbol", async () => {
  const before = runner.control.params();
  const error = await runner.control
    .updateParams(undefined, {
      baseSpreadPercent: "-1",
      numLevels: 0,
      orderSize: "1e-3",
      priceTick: "0.01",
      bogus: 1,
    })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ParamsRejected);
  const rejected = error as ParamsRejected;
  expect(rejected.fields.map((each) => each.field).sort()).toEqual(
    ["baseSpreadPercent", "bogus", "numLevels", "orderSize", "priceTick"].sort(),
  );
  // Configuration's own messages.
  expect(rejected.problems).toContain('baseSpreadPercent="-1": must be greater than 0');
  expect(rejected.problems).toContain("numLevels=0: must be at least 1");
  expect(rejected.problems).toContain(
    'orderSize="1e-3": must be a plain decimal number like 0.1 (no exponent, no unit)',
  );
  expect(rejected.problems.find((line) => line.startsWith("priceTick"))).toMatch(/needs a restart/);
  expect(rejected.problems.find((line) => line.startsWith("bogus"))).toMatch(/unknown setting/);

  // Valid alone, but not at the symbol's price or with its lot step: also refused, whole.
  const atPrice = await runner.control
    .updateParams(undefined, { baseSpreadPercent: "0.00001", orderSize: "0.0105" })
    .catch((caught: unknown) => caught as ParamsRejected);
  expect(atPrice).toBeInstanceOf(ParamsRejected);
  const lines = (atPrice as ParamsRejected).problems;
  expect(
    lines.some((line) => /^baseSpreadPercent="0.00001": at ETH-USDT's price 3000/.test(line)),
  ).toBe(true);
  expect(
    lines.some((line) => /^orderSize="0.0105": is not a multiple of the lot step/.test(line)),
  ).toBe(true);

  await expect(runner.control.updateParams("DOGE-USDT", { numLevels: 2 })).rejects.toBeInstanceOf(
    UnknownSymbolError,
  );
  await expect(runner.control.pause("DOGE-USDT")).rejects.toThrow(/unknown symbol DOGE-USDT/);
  expect(runner.control.params()).toEqual(before);
  await moreCycles(BTC, 2);
  expect(book(BTC)).toEqual(ladderOf("50000"));
});

it("a position limit set live below one level's size pulls those orders; removing it brings them back", async () => {
  await waitFor(() => ours(BTC).length === 6, 20_000, "BTC ladder");
  const ethBefore = ours(ETH).map((order) => order.orderId);
  // Flat, every order of 0.01 would take |position| past 0.005: both sides go.
  const after = await runner.control.updateParams(BTC, { maxPosition: "0.005" });
  expect(after[0]!.params.maxPosition).toEqual({
    value: "0.005",
    origin: "control",
    name: "PATCH /control/params",
  });
  await waitFor(() => ours(BTC).length === 0, 20_000, "BTC orders pulled by MAX_POSITION");
  expect(ours(ETH).map((order) => order.orderId)).toEqual(ethBefore);

  // A skew without a limit is refused as configuration refuses it; nothing changes.
  const error = await runner.control
    .updateParams(BTC, { maxPosition: null, inventorySkewPercent: "10" })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ParamsRejected);
  expect((error as ParamsRejected).problems.join("\n")).toMatch(
    /^inventorySkewPercent="10": needs MAX_POSITION/m,
  );
  expect(
    runner.control.params().find((each) => each.symbol === BTC)!.params.maxPosition.value,
  ).toBe("0.005");
  await moreCycles(BTC, 2);
  expect(ours(BTC)).toEqual([]);

  const removed = await runner.control.updateParams(BTC, { maxPosition: null });
  expect(removed[0]!.params.maxPosition).toMatchObject({ value: null, origin: "control" });
  await waitFor(
    () => JSON.stringify(book(BTC)) === JSON.stringify(ladderOf("50000")),
    20_000,
    "BTC ladder back without the limit",
  );
});

it("SIGHUP applies a changed risk limit live, and removes it when the configuration no longer sets it", async () => {
  writeFileSync(configFile, 'makerFeeBps: "0"\nmaxPosition: "0.005"\n');
  const set = await runner.control.reload(resolve());
  expect(set.outcome).toBe("applied");
  if (set.outcome !== "applied") return;
  expect(set.applied.map((each) => `${each.symbol} ${each.key} ${each.to}`).sort()).toEqual([
    `${BTC} maxPosition 0.005`,
    `${ETH} maxPosition 0.005`,
  ]);
  expect(set.needsRestart).toEqual([]);
  expect(runner.control.params()[0]!.params.maxPosition).toEqual({
    value: "0.005",
    origin: "file",
    name: `${configFile}: maxPosition`,
  });
  await waitFor(() => ours(BTC).length === 0 && ours(ETH).length === 0, 20_000, "orders pulled");

  writeFileSync(configFile, 'makerFeeBps: "0"\n');
  const unset = await runner.control.reload(resolve());
  expect(unset.outcome).toBe("applied");
  expect(runner.control.params()[0]!.params.maxPosition.value).toBeNull();
  await waitFor(
    () => JSON.stringify(book(BTC)) === JSON.stringify(ladderOf("50000")),
    20_000,
    "BTC ladder back",
  );
});

it("cancel-all: every symbol paused, the venue holds none of our orders, answered with the counts", async () => {
  await waitFor(() => ours(BTC).length === 6 && ours(ETH).length === 6, 20_000, "both ladders");
  const result = await runner.control.cancelAll();
  expect(result.symbols).toEqual([BTC, ETH]);
  expect(result.cancelled + result.alreadyGone).toBe(12);
  expect(result.failed).toEqual([]);
  expect(venue.liveOrders().filter((order) => order.userAddress.startsWith(ID))).toEqual([]);
  expect(ladderShown(BTC)).toEqual({ state: "paused", bids: 0, asks: 0 });
  expect(ladderShown(ETH)).toEqual({ state: "paused", bids: 0, asks: 0 });
  await moreCycles(BTC, 3);
  await moreCycles(ETH, 1);
  expect(venue.liveOrders().filter((order) => order.userAddress.startsWith(ID))).toEqual([]);
  await runner.control.resume();
  await waitFor(() => ours(BTC).length === 6 && ours(ETH).length === 6, 20_000, "both back");
});
