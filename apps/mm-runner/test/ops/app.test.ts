import { expect, it } from "vitest";
import { createOpsApp, createOpsMetrics, createStatusHistory } from "../../src/ops/index.ts";
import { fakeSupervisor } from "./fake-status.ts";

function app() {
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
  const history = createStatusHistory({ samples: 3 });
  const ops = createOpsApp({
    getStatus: supervisor.getStatus,
    registry: createOpsMetrics({ defaultMetrics: false }).registry,
    history,
  });
  const get = (path: string, method = "GET") =>
    ops.fetch(new Request(`http://ops.test${path}`, { method }));
  return { supervisor, history, get };
}

it("answers HEAD /events with the stream's headers and no stream", async () => {
  const { get } = app();
  const response = await get("/events", "HEAD");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  expect(response.body).toBeNull();
});

it("serves the page's script, style and uPlot itself, and the page names only those", async () => {
  const { get } = app();
  const html = await (await get("/")).text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  expect(assets.filter((url) => url?.startsWith("assets/"))).toEqual([
    "assets/uplot.css",
    "assets/page.css",
    "assets/uplot.js",
    "assets/page.js",
  ]);
  expect(assets.every((url) => !/^(https?:)?\/\//.test(url!))).toBe(true);
  const uplot = await get("/assets/uplot.js");
  expect(uplot.headers.get("content-type")).toMatch(/^text\/javascript/);
  expect(await uplot.text()).toContain("uPlot");
  expect((await get("/assets/page.css")).headers.get("content-type")).toMatch(/^text\/css/);
});

it("keeps a bounded history per symbol and serves it on /history", async () => {
  const { supervisor, history, get } = app();
  for (let i = 0; i < 5; i++) {
    supervisor.setPrice("BTC-USDT", `5000${i}.00`);
    history.record({ ...supervisor.getStatus(), now: 1_700_000_000_000 + i * 1000 });
  }
  const body = (await (await get("/history?symbol=BTC-USDT")).json()) as Record<
    string,
    { t: number[]; price: number[]; bid: number[]; position: number[] }
  >;
  expect(body["BTC-USDT"]?.t).toEqual([1_700_000_002, 1_700_000_003, 1_700_000_004]);
  expect(body["BTC-USDT"]?.price).toEqual([50002, 50003, 50004]);
  expect(body["BTC-USDT"]?.bid).toEqual([50001, 50002, 50003]);
  expect(body["BTC-USDT"]?.position).toEqual([-0.01, -0.01, -0.01]);
  // A symbol no longer configured is forgotten.
  history.record({ ...supervisor.getStatus(), now: 1_700_000_010_000, symbols: [] });
  expect(await (await get("/history")).json()).toEqual({});
});
