import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditLine,
  createOpsMetrics,
  type OpsServer,
  type RunnerStatus,
  startOpsServer,
} from "../../src/ops/index.ts";
import { launchChromium } from "./browser.ts";
import { fakeControl } from "./fake-control.ts";
import { fakeSupervisor, runnerStatus, symbolStatus } from "./fake-status.ts";

/** Where CI keeps test artifacts (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");
const TOKEN = "page-test-token";

describe("the live page: charts and controls in headless Chromium", () => {
  let browser: Browser;
  let server: OpsServer;
  let page: Page;
  const pageErrors: string[] = [];
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" });
  const fake = fakeControl(["BTC-USDT", "ETH-USDT"]);
  const audit: AuditLine[] = [];
  let tick = 0;
  const fills: { seq: number; at: number; side: "buy" | "sell"; quantity: string }[] = [];
  // A price that moves and a fill now and then, so the charts have something to draw.
  const getStatus = (): RunnerStatus => {
    tick++;
    supervisor.setPrice("BTC-USDT", (50000 + 5 * Math.sin(tick / 3)).toFixed(2));
    supervisor.setPrice("ETH-USDT", (3000 + Math.cos(tick / 4)).toFixed(2));
    // A fill every ten snapshots, alternating sides, the last five kept.
    if (tick % 10 === 0) {
      const side = tick % 20 === 0 ? "sell" : "buy";
      fills.push({ seq: tick / 10, at: Date.now(), side, quantity: "0.010" });
      if (fills.length > 5) fills.shift();
    }
    const status = supervisor.getStatus();
    const mib = 1024 * 1024;
    return {
      ...status,
      // The process's memory, for the memory chart under the cards.
      memory: {
        rss: (300 + tick / 10) * mib,
        external: 9 * mib,
        arrayBuffers: mib,
        main: { used: (40 + (tick % 7)) * mib, total: 80 * mib, external: 9 * mib },
        workers: {},
        workersTotal: { used: 100 * mib, total: 120 * mib, external: 0, afterGc: 90 * mib },
      },
      symbols: status.symbols.map((s) => ({
        ...s,
        // The control API's pause shows in the status, as the runner's does.
        ...(fake.paused.has(s.symbol) ? { state: "paused" as const, bids: [], asks: [] } : {}),
        // The embedded venue's book: our two levels a side and someone else's beside them.
        depth: {
          asks: [
            { price: s.asks[0]!.price, ours: "0.010", others: "0.5" },
            { price: "50010.00", ours: "0", others: "1.25" },
          ],
          bids: [{ price: s.bids[0]!.price, ours: "0.010", others: "0" }],
        },
        pnl: (tick * 0.5).toFixed(2),
        recentFills: fills.map((fill) => ({
          ...fill,
          price: fill.side === "buy" ? s.bids[0]!.price : s.asks[0]!.price,
        })),
      })),
    };
  };

  beforeAll(async () => {
    const metrics = createOpsMetrics({ getStatus, defaultMetrics: false });
    server = await startOpsServer({
      address: "127.0.0.1:0",
      getStatus,
      registry: metrics.registry,
      pushIntervalMs: 100,
      historyIntervalMs: 100,
      control: { token: TOKEN, runner: fake.control, audit: (line) => audit.push(line) },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      // The API's 401 and 400 answers are expected here; Chromium logs each as an error.
      if (message.type() === "error" && !/status of (401|400)/.test(message.text())) {
        pageErrors.push(message.text());
      }
    });
    await page.goto(`http://${server.address}/`);
    // Chromium's first start on a cold CI machine (fonts, caches) took over 30 s once.
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const points = (symbol: string, chart: string) =>
    page
      .locator(`[data-symbol="${symbol}"] [data-chart="${chart}"]`)
      .getAttribute("data-points")
      .then(Number);

  it("draws a price chart and a position chart for each of two symbols, loaded only from the runner", async () => {
    for (const symbol of ["BTC-USDT", "ETH-USDT"]) {
      await expect.poll(() => points(symbol, "price"), { timeout: 10_000 }).toBeGreaterThan(5);
      await expect.poll(() => points(symbol, "position")).toBeGreaterThan(5);
      const card = page.locator(`[data-symbol="${symbol}"]`);
      expect(await card.locator('[data-chart="price"] canvas').count()).toBe(1);
      await expect
        .poll(() => card.locator('[data-chart="price"]').getAttribute("data-fills").then(Number))
        .toBeGreaterThan(0);
      // The legend names our series.
      expect(await card.locator('[data-chart="price"] .u-legend').textContent()).toMatch(
        /price.*our bid.*our ask/,
      );
    }
    // The canvas has ink on it (uPlot drew lines), not a blank box.
    // (Browser code as text: this project compiles without the DOM library.)
    const inked = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('[data-symbol="BTC-USDT"] [data-chart="price"] canvas');
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    })()`);
    expect(inked).toBeGreaterThan(200);
    // The ladder fits its card: no column is cut off.
    const fits = await page.evaluate<boolean>(`(() => {
      const card = document.querySelector('[data-symbol="BTC-USDT"]').getBoundingClientRect();
      const table = document.querySelector('[data-symbol="BTC-USDT"] table.ladder').getBoundingClientRect();
      return table.right <= card.right + 0.5;
    })()`);
    expect(fits).toBe(true);
    expect(await page.locator("#summary tbody tr").count()).toBe(2);
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it("draws the process's memory over time under the cards: RSS, main heap, workers' heaps", async () => {
    const chart = page.locator('#memory [data-chart="memory"]');
    await expect
      .poll(() => chart.getAttribute("data-points").then(Number), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.locator("#memory").isVisible()).toBe(true);
    expect(await chart.locator("canvas").count()).toBe(1);
    expect(await chart.locator(".u-legend").textContent()).toMatch(
      /RSS.*main heap.*workers' heaps/,
    );
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it("legends on one line, values on hover; full order ids on hover; P&L in the summary; the venue's book", async () => {
    const card = page.locator('[data-symbol="BTC-USDT"]');
    const legend = card.locator('[data-chart="price"] .u-legend');
    // One line at any time: the legend is no taller than one row of its text.
    // (About 18 px a line at its font size: two lines would be over 30.)
    const oneLine = async () => ((await legend.boundingBox())?.height ?? 99) < 30;
    expect(await oneLine()).toBe(true);
    // Not hovered: names, no "--" placeholders.
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown; hidden values are not
    expect(await legend.innerText()).not.toContain("--");
    // Hovered: the values under the pointer.
    const box = (await card.locator('[data-chart="price"] .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown; hidden values are not
    await expect.poll(() => legend.innerText()).toMatch(/price:?\s*50,?0\d\d/);
    expect(await oneLine()).toBe(true);
    await page.mouse.move(0, 0);
    // Order ids are cut to fit, and whole on hover.
    // Both read from one render: the page redraws every 100 ms.
    const [title, text] = await card
      .locator("table.ladder tr.ask td.id")
      .first()
      .evaluate((cell) => [cell.getAttribute("title"), cell.textContent]);
    expect(title).toBe(text);
    expect(title).toMatch(/^mm-/);

    // The summary has the P&L.
    const headers = await page.locator("#summary thead th").allTextContents();
    const pnlColumn = headers.indexOf("P&L");
    expect(pnlColumn).toBeGreaterThan(0);
    expect(await page.locator('[data-row="BTC-USDT"] td').nth(pnlColumn).textContent()).toMatch(
      /^\d+\.\d\d$/,
    );

    // The book around our ladder: ours against everyone else's, asks above bids.
    const depth = card.locator('[data-testid="depth"]');
    expect(await depth.locator("tbody tr").count()).toBe(3);
    expect(await depth.locator("tbody tr").first().locator("td").allTextContents()).toEqual([
      "50010.00",
      "",
      "1.25",
      "",
    ]);
    expect(await depth.locator('tr[data-depth="bid"] td').nth(1).textContent()).toBe("0.010");
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it("shows no controls until a token is entered; a wrong one is refused next to the field", async () => {
    expect(await page.locator('[data-symbol="BTC-USDT"] [data-action="pause"]').isVisible()).toBe(
      false,
    );
    expect(await page.locator("#kill").isVisible()).toBe(false);
    await page.fill("#token", "wrong");
    await page.click('#token-form button[type="submit"]');
    await expect.poll(() => page.locator("#token-error").textContent()).toMatch(/unauthorized/);
    expect(await page.locator("#kill").isVisible()).toBe(false);
  });

  it("after the token: pause, resume, parameter errors next to the field, a change, the kill switch", async () => {
    await page.fill("#token", TOKEN);
    await page.click('#token-form button[type="submit"]');
    const btc = page.locator('[data-symbol="BTC-USDT"]');
    await expect.poll(() => btc.locator('[data-action="pause"]').isVisible()).toBe(true);
    expect(await page.locator("#token-error").textContent()).toBe("");

    // Only the button that can act is enabled: quoting, pause; paused, resume.
    expect(await btc.locator('[data-action="resume"]').isDisabled()).toBe(true);
    await btc.locator('[data-action="pause"]').click();
    await expect.poll(() => fake.calls.includes("pause BTC-USDT")).toBe(true);
    await expect.poll(() => btc.locator('[data-action="pause"]').isDisabled()).toBe(true);
    await btc.locator('[data-action="resume"]').click();
    await expect.poll(() => fake.calls.includes("resume BTC-USDT")).toBe(true);
    await expect.poll(() => btc.locator('[data-action="resume"]').isDisabled()).toBe(true);

    // The form is folded away until asked for.
    expect(await btc.locator('input[name="baseSpreadPercent"]').isVisible()).toBe(false);
    await btc.locator("details.params-fold > summary").click();
    // It shows what is in effect and where it came from, in words, with each setting's
    // human label and environment name.
    expect(await btc.locator('input[name="baseSpreadPercent"]').inputValue()).toBe("0.1");
    const form = btc.locator("form.params");
    expect(await form.locator('label[for="BTC-USDT-baseSpreadPercent"]').textContent()).toBe(
      "spread (%)BASE_SPREAD_PERCENT",
    );
    expect(await form.locator('[data-origin="baseSpreadPercent"]').textContent()).toBe(
      "the default",
    );
    expect(await form.locator('[data-origin="numLevels"]').textContent()).toBe(
      "from the flag --num-levels",
    );
    expect(await form.locator('[data-origin="orderSize"]').textContent()).toBe(
      "from the config file mm.yaml",
    );
    expect(await form.locator('[data-origin="priceStepPercent"]').textContent()).toBe(
      "from the environment",
    );
    await btc.locator('input[name="baseSpreadPercent"]').fill("1e-3");
    await btc.locator('input[name="numLevels"]').fill("0");
    await btc.locator('form.params button[type="submit"]').click();
    await expect
      .poll(() => btc.locator('[data-error="baseSpreadPercent"]').textContent())
      .toMatch(/must be a plain decimal number/);
    expect(await btc.locator('[data-error="numLevels"]').textContent()).toMatch(
      /must be at least 1/,
    );
    expect(fake.calls.some((call) => call.startsWith("params"))).toBe(false);

    await btc.locator('input[name="baseSpreadPercent"]').fill("0.2");
    await btc.locator('input[name="numLevels"]').fill("2");
    await btc.locator('form.params button[type="submit"]').click();
    await expect
      .poll(() => fake.calls.filter((call) => call.startsWith("params")))
      .toEqual(['params BTC-USDT {"baseSpreadPercent":"0.2"}']);
    await expect
      .poll(() => btc.locator("form.params").textContent())
      .toContain("changed live (control API)");

    await page.click("#kill");
    expect(fake.calls.includes("cancel-all")).toBe(false); // the first click only arms it
    await page.click("#kill");
    await expect.poll(() => page.locator("#kill-message").textContent()).toMatch(/8 cancelled/);
    expect(fake.calls.includes("cancel-all")).toBe(true);
    expect(audit.every((line) => !JSON.stringify(line).includes(TOKEN))).toBe(true);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "live-page.png"), fullPage: true });
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });
});

describe("the live page with 64 symbols", () => {
  let browser: Browser;
  let server: OpsServer;

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists every symbol in the summary table and opens one symbol's detail on a click", async () => {
    const symbols = Array.from({ length: 64 }, (_, i) => `C${i}-USDT`);
    const getStatus = () =>
      runnerStatus(symbols.map((symbol, i) => symbolStatus(symbol, (100 + i).toFixed(2))));
    const metrics = createOpsMetrics({ getStatus, defaultMetrics: false });
    server = await startOpsServer({
      address: "127.0.0.1:0",
      getStatus,
      registry: metrics.registry,
      pushIntervalMs: 200,
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://${server.address}/`);
    await expect
      .poll(() => page.locator("#summary tbody tr").count(), { timeout: 10_000 })
      .toBe(64);
    // One card at a time: the first symbol's until another row is chosen.
    await expect.poll(() => page.locator("section.card").count()).toBe(1);
    await page.locator('[data-row="C42-USDT"]').click();
    await expect
      .poll(() => page.locator('[data-symbol="C42-USDT"] [data-testid="price"]').textContent())
      .toBe("142.00");
    expect(await page.locator("section.card").count()).toBe(1);
    expect(await page.locator('[data-row="C42-USDT"] td').allTextContents()).toEqual([
      "C42-USDT",
      "quoting",
      "142.00",
      expect.stringMatching(/bps$/),
      "-0.010",
      "-",
      "3",
      expect.stringMatching(/ago$/),
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "live-page-64-symbols.png") });
    expect(errors).toEqual([]);
  }, 30_000);
});

describe("the live page at 1 and 3 symbols and on a phone", () => {
  let browser: Browser;
  const servers: OpsServer[] = [];

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  /** The page of a runner quoting `symbols`, each with P&L, fills and the venue's book. */
  async function pageOf(
    symbols: Record<string, string>,
    viewport: { width: number; height: number },
  ) {
    const supervisor = fakeSupervisor(symbols);
    let tick = 0;
    const getStatus = (): RunnerStatus => {
      tick++;
      const status = supervisor.getStatus();
      return {
        ...status,
        symbols: status.symbols.map((s) => ({
          ...s,
          pnl: (tick * 0.25 - 3).toFixed(2),
          position: ((tick % 7) * 0.01 - 0.03).toFixed(3),
          depth: {
            asks: s.asks.map((order) => ({
              price: order.price,
              ours: order.quantity,
              others: "0",
            })),
            bids: s.bids.map((order) => ({
              price: order.price,
              ours: order.quantity,
              others: "0.2",
            })),
          },
        })),
      };
    };
    const metrics = createOpsMetrics({ getStatus, defaultMetrics: false });
    const server = await startOpsServer({
      address: "127.0.0.1:0",
      getStatus,
      registry: metrics.registry,
      pushIntervalMs: 100,
      historyIntervalMs: 100,
    });
    servers.push(server);
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://${server.address}/`);
    const first = Object.keys(symbols)[0]!;
    await expect
      .poll(() =>
        page.locator(`[data-symbol="${first}"] [data-chart="price"]`).getAttribute("data-points"),
      )
      .toMatch(/^([5-9]|\d\d+)$/);
    return { page, errors };
  }

  /** Nothing sticks out sideways: the page is no wider than the window. */
  const fitsWidth = (page: Page) =>
    page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth + 1");

  it.each([
    ["1 symbol", { "BTC-USDT": "50000.00" }, { width: 1280, height: 900 }, "live-page-1-symbol"],
    [
      "3 symbols",
      { "BTC-USDT": "50000.00", "ETH-USDT": "3000.00", "SOL-USDT": "150.00" },
      { width: 1400, height: 1000 },
      "live-page-3-symbols",
    ],
    [
      "a phone",
      { "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" },
      { width: 390, height: 844 },
      "live-page-phone",
    ],
  ] as const)(
    "holds its layout with %s (screenshot in test-artifacts)",
    async (_what, symbols, viewport, file) => {
      const { page, errors } = await pageOf(symbols, viewport);
      const names = Object.keys(symbols);
      expect(await page.locator("section.card").count()).toBe(names.length);
      expect(await fitsWidth(page)).toBe(true);
      // The summary table too (its box scrolls rather than overflow the page).
      if (names.length > 1) {
        const table = (await page.locator("#summary").boundingBox())!;
        expect(table.x + table.width).toBeLessThanOrEqual(viewport.width + 0.5);
      }
      // Each card is inside the window, and its charts inside the card.
      for (const name of names) {
        const card = (await page.locator(`[data-symbol="${name}"]`).boundingBox())!;
        expect(card.x + card.width).toBeLessThanOrEqual(viewport.width + 0.5);
        const chart = (await page
          .locator(`[data-symbol="${name}"] [data-chart="price"] canvas`)
          .boundingBox())!;
        expect(chart.x + chart.width).toBeLessThanOrEqual(card.x + card.width + 0.5);
        expect(
          await page.locator(`[data-symbol="${name}"] [data-testid="depth"]`).isVisible(),
        ).toBe(true);
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${file}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
    30_000,
  );
});

describe("the live page after a pause it asked for", () => {
  let browser: Browser;
  let server: OpsServer;

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the symbol paused and its ladder gone as soon as the pause is answered, not at the next push", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const fake = fakeControl(["BTC-USDT"]);
    const getStatus = (): RunnerStatus => {
      const status = supervisor.getStatus();
      return {
        ...status,
        symbols: status.symbols.map((s) =>
          fake.paused.has(s.symbol) ? { ...s, state: "paused" as const, bids: [], asks: [] } : s,
        ),
      };
    };
    const metrics = createOpsMetrics({ getStatus, defaultMetrics: false });
    server = await startOpsServer({
      address: "127.0.0.1:0",
      getStatus,
      registry: metrics.registry,
      // No push for a minute: only the page's own refresh can show the pause.
      pushIntervalMs: 60_000,
      control: { token: TOKEN, runner: fake.control, audit: () => {} },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://${server.address}/`);
    const card = page.locator('[data-symbol="BTC-USDT"]');
    await expect.poll(() => card.getAttribute("data-state")).toBe("quoting");
    await page.fill("#token", TOKEN);
    await page.click('#token-form button[type="submit"]');
    await expect.poll(() => card.locator('[data-action="pause"]').isVisible()).toBe(true);
    expect(await card.locator("table.ladder tr[data-order-id]").count()).toBe(4);
    await card.locator('[data-action="pause"]').click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 2_000 }).toBe("paused");
    expect(await card.locator("table.ladder tr[data-order-id]").count()).toBe(0);
  });
});
