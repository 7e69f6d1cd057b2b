import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  killAllRunners,
  type PriceServer,
  type RunnerProcess,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LADDER_ENV, ladderOf, samePrice } from "../faults/harness/ladder.ts";
import { launchChromium } from "./browser.ts";

// The live page as an operator uses it: a real runner (the built one, as production runs
// it) quoting two symbols on a venue over gRPC, its page in headless Chromium, and the
// pause and resume buttons checked against the venue's own view of the books.

const BTC = "BTC-USDT";
const ETH = "ETH-USDT";
const ID = "mm-page";
const TOKEN = "page-e2e-token";
/** Generous: the machine may be busy with other tests. */
const PATIENCE = 30_000;
/** Where CI keeps test artifacts (gitignored). */
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");

let venue: Venue;
let prices: PriceServer;
let runner: RunnerProcess;
let browser: Browser;
let page: Page;
let ops: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  venue = await startVenue();
  prices = await startPriceServer({ [BTC]: "50000", [ETH]: "3000" });
  runner = startRunnerProcess(
    {
      ...LADDER_ENV,
      MATCHINGO_GRPC_ADDR: venue.address,
      BINANCE_URL: prices.url,
      COINBASE_URL: prices.url,
      KRAKEN_URL: prices.url,
      PRICE_FEED: "poll",
      MARKET_SYMBOLS: `${BTC},${ETH}`,
      MARKET_MAKER_ID: ID,
      UPDATE_INTERVAL_SECONDS: "0.3",
      SHUTDOWN_TIMEOUT_SECONDS: "10",
      METRICS_ADDR: "127.0.0.1:0",
      CONTROL_TOKEN: TOKEN,
      STATE_DIR: tempDir("mm-page-"),
    },
    [],
    { command: "built" },
  );
  ops = (await runner.waitForLog((line) => typeof line.ops === "string", PATIENCE)).ops as string;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  killAllRunners();
  await prices?.close();
  await venue?.close();
});

/** Our orders on one of the venue's books, as the venue itself holds them. */
const ours = (book: string) =>
  venue.liveOrders(book).filter((order) => order.userAddress.startsWith(ID));
const bookOf = (name: string) => {
  const orders = ours(name);
  const side = (which: "buy" | "sell") =>
    orders
      .filter((order) => order.side === which)
      .map((order) => samePrice(order.price))
      .sort((a, b) => (which === "buy" ? Number(b) - Number(a) : Number(a) - Number(b)));
  return { bids: side("buy"), asks: side("sell") };
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const fullLadder = (name: string, price: string) => same(bookOf(name), ladderOf(price));

const card = (symbol: string) => page.locator(`section.card[data-symbol="${symbol}"]`);
const points = (symbol: string) =>
  card(symbol).locator('[data-chart="price"]').getAttribute("data-points").then(Number);
/** Painted pixels on a symbol's price chart (browser code as text: no DOM library here). */
const ink = (symbol: string) =>
  page.evaluate<number>(`(() => {
    const canvas = document.querySelector('[data-symbol="${symbol}"] [data-chart="price"] canvas');
    if (!canvas) return 0;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  })()`);
const cyclesOf = async (symbol: string) => {
  const status = (await (await fetch(`http://${ops}/status`)).json()) as {
    symbols: { symbol: string; cycles: number }[];
  };
  return status.symbols.find((each) => each.symbol === symbol)?.cycles ?? 0;
};

it("in Chromium: both symbols' charts drawn; pause on BTC-USDT empties its book on the venue, resume restores the full ladder", async () => {
  // Both books quoted before the page is opened: the ladder of 3 levels a side.
  await waitFor(
    () => fullLadder(BTC, "50000") && fullLadder(ETH, "3000"),
    PATIENCE,
    "both ladders on the venue",
  );
  await page.goto(`http://${ops}/`);

  for (const symbol of [BTC, ETH]) {
    await expect.poll(() => points(symbol), { timeout: PATIENCE }).toBeGreaterThanOrEqual(3);
    expect(await card(symbol).locator('[data-chart="price"] canvas').count()).toBe(1);
    expect(await card(symbol).locator('[data-chart="position"] canvas').count()).toBe(1);
    // uPlot drew lines, not just an empty box.
    await expect.poll(() => ink(symbol), { timeout: PATIENCE }).toBeGreaterThan(200);
    expect(await card(symbol).getAttribute("data-state")).toBe("quoting");
  }
  expect(await page.locator("#summary tbody tr").count()).toBe(2);

  // No controls without a token.
  const pause = card(BTC).locator('[data-action="pause"]');
  const resume = card(BTC).locator('[data-action="resume"]');
  expect(await pause.isVisible()).toBe(false);
  await page.fill("#token", TOKEN);
  await page.click('#token-form button[type="submit"]');
  await expect.poll(() => pause.isVisible(), { timeout: PATIENCE }).toBe(true);
  expect(await page.locator("#token-error").textContent()).toBe("");

  await pause.click();
  await waitFor(() => ours(BTC).length === 0, PATIENCE, "BTC-USDT's book empty on the venue");
  await expect
    .poll(() => card(BTC).getAttribute("data-state"), { timeout: PATIENCE })
    .toBe("paused");
  await expect
    .poll(() => card(BTC).locator("table.ladder tr.empty").count(), { timeout: PATIENCE })
    .toBe(1);
  expect(await card(BTC).locator("ul.reasons").textContent()).toMatch(/paused by an operator/);
  // The pause holds while ETH-USDT quotes on: a few more ETH cycles, BTC still empty, and
  // ETH's full ladder untouched.
  const ethCycles = await cyclesOf(ETH);
  await waitFor(
    async () => (await cyclesOf(ETH)) >= ethCycles + 3,
    PATIENCE,
    "three more ETH-USDT cycles",
  );
  expect(ours(BTC)).toEqual([]);
  expect(bookOf(ETH)).toEqual(ladderOf("3000"));
  expect(await card(ETH).getAttribute("data-state")).toBe("quoting");
  expect(await card(BTC).locator('[data-error="action"]').textContent()).toBe("");
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "live-page-e2e-paused.png"), fullPage: true });

  await resume.click();
  await waitFor(() => fullLadder(BTC, "50000"), PATIENCE, "BTC-USDT's full ladder again");
  expect(bookOf(BTC).bids).toHaveLength(3);
  expect(bookOf(BTC).asks).toHaveLength(3);
  expect(bookOf(ETH)).toEqual(ladderOf("3000"));
  await expect
    .poll(() => card(BTC).getAttribute("data-state"), { timeout: PATIENCE })
    .toBe("quoting");
  await expect
    .poll(() => card(BTC).locator("table.ladder tr.bid").count(), { timeout: PATIENCE })
    .toBe(3);
  expect(await card(BTC).locator('[data-error="action"]').textContent()).toBe("");
  await page.screenshot({ path: join(ARTIFACTS, "live-page-e2e.png"), fullPage: true });
  expect(pageErrors, pageErrors.join("\n")).toEqual([]);

  // Both control calls were audited, and the token is nowhere in the runner's output.
  const audited = runner.logs
    .map((line) => line.audit as { action?: string; symbol?: string } | undefined)
    .filter((audit) => audit !== undefined)
    .map((audit) => `${audit.action} ${audit.symbol}`);
  expect(audited).toEqual(expect.arrayContaining([`pause ${BTC}`, `resume ${BTC}`]));
  expect(runner.stdout()).not.toContain(TOKEN);

  // The page goes first (its live connection would log an error when the runner stops).
  await page.close();
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
  expect(ours(BTC)).toEqual([]);
  expect(ours(ETH)).toEqual([]);
}, 180_000);
