import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpsMetrics, type OpsServer, startOpsServer } from "../../src/ops/index.ts";
import { launchChromium } from "./browser.ts";
import { fakeSupervisor } from "./fake-status.ts";

describe("the live status page in headless Chromium", () => {
  let browser: Browser;
  let server: OpsServer;
  let page: Page;
  const pageErrors: string[] = [];
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" });

  beforeAll(async () => {
    const metrics = createOpsMetrics({ getStatus: supervisor.getStatus, defaultMetrics: false });
    server = await startOpsServer({
      address: "127.0.0.1:0",
      getStatus: supervisor.getStatus,
      registry: metrics.registry,
      pushIntervalMs: 100,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    // A CSP violation or a script error would leave the page blank: record them.
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.goto(`http://${server.address}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const priceOf = (symbol: string) =>
    page.locator(`[data-symbol="${symbol}"] [data-testid="price"]`);

  it("shows every configured symbol with its live price and ladder", async () => {
    await expect.poll(() => priceOf("BTC-USDT").textContent()).toBe("50000.00");
    await expect.poll(() => priceOf("ETH-USDT").textContent()).toBe("3000.00");
    const btc = page.locator('[data-symbol="BTC-USDT"]');
    expect(await btc.locator(".state").textContent()).toBe("quoting");
    expect(await btc.locator(".source").textContent()).toBe("from binance");
    expect(await btc.locator('[data-testid="feed"]').textContent()).toBe("via stream (binance)");
    // Asks above the reference price (highest first), bids below (best first).
    const rows = await btc
      .locator("table.ladder tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => `${tr.className}:${tr.querySelectorAll("td")[2]!.textContent}`),
      );
    expect(rows).toEqual([
      "ask:50002.00",
      "ask:50001.00",
      "mid:50000.00",
      "bid:49999.00",
      "bid:49998.00",
    ]);
    expect(await btc.locator("tr.bid").first().getAttribute("data-order-id")).toBe(
      "mm-BTC-USDT-buy-1-1700000000000",
    );
    expect(await btc.locator('[data-stat="fills"]').textContent()).toBe("3");
    expect(await btc.locator('[data-stat="position"]').textContent()).toBe("-0.010");
    expect(await btc.locator('[data-stat="strategy"]').textContent()).toBe("avellaneda-stoikov");
    expect(await btc.locator('[data-stat="sizes"]').textContent()).toBe("0.01 / 0.02");
    expect(await page.locator("#synthetic-banner").isVisible()).toBe(false);
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it("shows a price update without a reload", async () => {
    const marker = await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42;
      return 42;
    });
    supervisor.setPrice("BTC-USDT", "50100.00");
    supervisor.setPrice("ETH-USDT", "3010.50");
    await expect
      .poll(() => priceOf("BTC-USDT").textContent(), { timeout: 10_000 })
      .toBe("50100.00");
    await expect.poll(() => priceOf("ETH-USDT").textContent(), { timeout: 10_000 }).toBe("3010.50");
    // Same document: the update came over the live stream, not a navigation.
    expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(
      marker,
    );
    expect(await page.locator("#connection").textContent()).toMatch(/^live/);
  });

  it("shows state, reasons and a loud banner when prices are synthetic", async () => {
    supervisor.setState("ETH-USDT", "pulled", ["no trustworthy price for 31 s"]);
    supervisor.setSynthetic(true);
    const eth = page.locator('[data-symbol="ETH-USDT"]');
    await expect
      .poll(() => eth.locator(".state").textContent(), { timeout: 10_000 })
      .toBe("pulled");
    expect(await eth.locator(".reasons li").allTextContents()).toEqual([
      "no trustworthy price for 31 s",
    ]);
    await expect.poll(() => page.locator("#synthetic-banner").isVisible()).toBe(true);
    expect(await page.locator("#synthetic-banner").textContent()).toMatch(/SYNTHETIC PRICES/);
    expect(await eth.locator(".tag-synthetic").textContent()).toBe("SYNTHETIC PRICE");
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it("shows a halt, the position against its limit and the P&L", async () => {
    supervisor.setState(
      "BTC-USDT",
      "halted",
      ["halted by the kill switch: loss 1 reached MAX_LOSS 1"],
      {
        position: "0.02",
        pnl: "-1",
        risk: {
          state: "halted",
          maxPosition: "0.03",
          realized: "-0.75",
          unrealized: "-0.25",
          fees: "0",
          halted: { reason: "loss 1 reached MAX_LOSS 1", since: Date.now() },
        },
      },
    );
    const btc = page.locator('[data-symbol="BTC-USDT"]');
    await expect
      .poll(() => btc.locator(".state").textContent(), { timeout: 10_000 })
      .toBe("halted");
    expect(await btc.locator('[data-stat="position"]').textContent()).toBe("0.02 / ±0.03");
    expect(await btc.locator('[data-stat="pnl"]').textContent()).toBe("-1");
    expect(await btc.locator('[data-stat="realized"]').textContent()).toBe("-0.75");
    expect(await btc.locator('[data-stat="unrealized"]').textContent()).toBe("-0.25");
    expect(await btc.locator('[data-stat="risk"]').textContent()).toBe("halted");
    expect(await btc.locator(".reasons li").allTextContents()).toEqual([
      "halted by the kill switch: loss 1 reached MAX_LOSS 1",
    ]);
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });
});
