import { Agent, request } from "node:http";
import { PriceError } from "@matchingo-mm/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createOpsMetrics,
  type OpsServer,
  parseMetricsAddr,
  type Readiness,
  type RunnerStatus,
  startOpsServer,
} from "../../src/ops/index.ts";
import { WIRE_BASE, wireCycle, wireFill } from "../wire-events.ts";
import { fakeSupervisor } from "./fake-status.ts";
import { sample } from "./scrape.ts";

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(getStatus: () => RunnerStatus | Promise<RunnerStatus>) {
  const metrics = createOpsMetrics({ getStatus });
  const server = await startOpsServer({
    address: "127.0.0.1:0",
    getStatus,
    registry: metrics.registry,
    pushIntervalMs: 50,
  });
  servers.push(server);
  return { server, metrics, url: (path: string) => `http://${server.address}${path}` };
}

describe("parseMetricsAddr", () => {
  it("reads host:port, IPv6 in brackets, and off", () => {
    expect(parseMetricsAddr("127.0.0.1:9464")).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(parseMetricsAddr("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(parseMetricsAddr("0.0.0.0:9464")).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(parseMetricsAddr("off")).toBeUndefined();
    expect(parseMetricsAddr(" OFF ")).toBeUndefined();
  });

  it("names the variable and the value on bad input", () => {
    expect(() => parseMetricsAddr("9464")).toThrow(/METRICS_ADDR="9464".*host:port/);
    expect(() => parseMetricsAddr("localhost:99999")).toThrow(/METRICS_ADDR="localhost:99999"/);
  });
});

describe("startOpsServer", () => {
  it("listens where asked and reports the port it got for port 0", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { server } = await start(supervisor.getStatus);
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe("127.0.0.1:0");
  });

  it("answers /healthz with 200 while alive", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    supervisor.setState("BTC-USDT", "crashed", ["worker exited with code 1"]);
    const { url } = await start(supervisor.getStatus);
    const response = await fetch(url("/healthz"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("answers /readyz 200 when every symbol quotes, else 503 with reasons per symbol", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" });
    const { url } = await start(supervisor.getStatus);

    const ready = await fetch(url("/readyz"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, reasons: [] });

    supervisor.setState("ETH-USDT", "pulled", ["no price for 31 s (every source failed)"]);
    const notReady = await fetch(url("/readyz"));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      ready: false,
      reasons: [],
      symbols: {
        "BTC-USDT": { state: "quoting", reasons: [] },
        "ETH-USDT": { state: "pulled", reasons: ["no price for 31 s (every source failed)"] },
      },
    });

    supervisor.setState("ETH-USDT", "starting");
    const starting = (await (await fetch(url("/readyz"))).json()) as Readiness;
    expect(starting.symbols["ETH-USDT"]).toEqual({
      state: "starting",
      reasons: ["state is starting"],
    });

    supervisor.setState("ETH-USDT", "quoting");
    expect((await fetch(url("/readyz"))).status).toBe(200);
  });

  it("is not ready while shutting down or when the status cannot be had", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    let mode: "ok" | "shutdown" | "broken" = "shutdown";
    const { url } = await start(() => {
      if (mode === "broken") throw new Error("supervisor gone");
      return { ...supervisor.getStatus(), shuttingDown: mode === "shutdown" };
    });
    const shutting = await fetch(url("/readyz"));
    expect(shutting.status).toBe(503);
    expect(((await shutting.json()) as Readiness).reasons).toEqual(["shutting down"]);
    mode = "broken";
    const broken = await fetch(url("/readyz"));
    expect(broken.status).toBe(503);
    expect(((await broken.json()) as Readiness).reasons[0]).toMatch(/supervisor gone/);
    mode = "ok";
    expect((await fetch(url("/readyz"))).status).toBe(200);
  });

  it("serves /status as JSON, the same snapshot the supervisor gives", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { url } = await start(supervisor.getStatus);
    const response = await fetch(url("/status"));
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as RunnerStatus;
    expect(body.symbols).toHaveLength(1);
    expect(body.symbols[0]).toMatchObject({
      symbol: "BTC-USDT",
      state: "quoting",
      price: { value: "50000.00", source: "binance" },
      bids: [{ price: "49999.00" }, { price: "49998.00" }],
      asks: [{ price: "50001.00" }, { price: "50002.00" }],
    });
  });

  it("serves /metrics with every metric name, and the numbers move after observe()", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { url, metrics } = await start(supervisor.getStatus);
    const scrape = async () => {
      const response = await fetch(url("/metrics"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };

    const before = await scrape();
    for (const name of [
      "mm_cycles_total",
      "mm_cycle_duration_seconds",
      "mm_rpc_total",
      "mm_orders_placed_total",
      "mm_orders_canceled_total",
      "mm_fills_total",
      "mm_traded_volume_total",
      "mm_price_source_failures_total",
      "mm_price_failovers_total",
      "mm_quotes_pulled_total",
      "mm_live_orders",
      "mm_position",
      "mm_price",
      "mm_price_source",
      "mm_price_age_seconds",
      "mm_symbol_state",
      "mm_last_cycle_timestamp_seconds",
      "mm_worker_restarts_total",
      "mm_rpc_duration_seconds",
      "mm_order_failures_total",
      "mm_price_errors_total",
      "mm_price_failbacks_total",
      "mm_price_all_sources_failed_total",
      "mm_price_jumps_total",
      "mm_venue_lost_total",
      "mm_venue_resets_total",
      "mm_errors_total",
      "mm_ready",
      "process_cpu_seconds_total",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(before, name).toContain(`# TYPE ${name} `);
    }
    const BTC = { symbol: "BTC-USDT" };
    expect(sample(before, "mm_cycles_total", { ...BTC, outcome: "quoted" })).toBeUndefined();
    expect(sample(before, "mm_worker_restarts_total", BTC)).toBe(0);
    expect(sample(before, "mm_live_orders", { ...BTC, side: "buy" })).toBe(2);
    expect(sample(before, "mm_price_source", { ...BTC, source: "binance" })).toBe(1);
    expect(sample(before, "mm_position", BTC)).toBe(-0.01);
    expect(sample(before, "mm_symbol_state", { ...BTC, state: "quoting" })).toBe(1);
    expect(sample(before, "mm_ready")).toBe(1);

    // Core's market-maker events, in the wire form the worker posts (errors as plain data).
    const base = WIRE_BASE;
    metrics.observe("BTC-USDT", wireCycle("quoted", { durationMs: 12 }));
    metrics.observe("BTC-USDT", wireCycle("quoted", { durationMs: 30 }));
    metrics.observe("BTC-USDT", wireCycle("price-error", { durationMs: 1 }));
    metrics.observe("BTC-USDT", { type: "rpc", method: "CreateOrder", code: "OK" });
    metrics.observe("BTC-USDT", { type: "rpc", method: "CreateOrder", code: "UNAVAILABLE" });
    for (let attempt = 0; attempt < 7; attempt++) {
      metrics.observe("BTC-USDT", {
        type: "rpc",
        method: "CancelOrder",
        code: "OK",
        durationMs: 4,
      });
    }
    const order = {
      book: "BTC-USDT",
      orderId: "a",
      side: "sell",
      price: "1",
      quantity: "1",
    } as const;
    metrics.observe("BTC-USDT", { ...base, type: "order-placed", order, level: 1, status: "open" });
    metrics.observe("BTC-USDT", {
      ...base,
      type: "order-failed",
      action: "place",
      orderId: "b",
      error: { name: "VenueError", message: "down", kind: "unavailable", code: 14 },
      uncertain: true,
    });
    metrics.observe("BTC-USDT", wireFill("buy", "0.004"));
    metrics.observe("BTC-USDT", wireFill("buy", "0.006"));
    metrics.observe("BTC-USDT", {
      ...base,
      type: "quotes-pulled",
      priceAgeMs: 31_000,
      orders: 4,
      reason: "stale",
    });
    metrics.observe("BTC-USDT", { ...base, type: "venue-state", state: "lost" });
    metrics.observe("BTC-USDT", { ...base, type: "venue-state", state: "back" });
    // The price chain's events, observed in the main thread (a source-wide failure has no symbol).
    // The chain's events are observed live, in the main thread.
    const timeout = new PriceError("timed out", { kind: "timeout", source: "binance" });
    metrics.observe(undefined, {
      type: "source-failed",
      source: "binance",
      error: timeout,
      failures: 1,
      retryInMs: 1000,
    });
    metrics.observe(undefined, {
      type: "source-failed",
      source: "binance",
      symbol: "BTC-USDT",
      error: timeout,
      failures: 2,
      retryInMs: 2000,
    });
    metrics.observe(undefined, {
      type: "failover",
      symbol: "BTC-USDT",
      from: "binance",
      to: "coinbase",
    });
    supervisor.setState("BTC-USDT", "degraded", ["answered by coinbase (binance failed)"]);

    const after = await scrape();
    expect(sample(after, "mm_cycles_total", { ...BTC, outcome: "quoted" })).toBe(2);
    expect(sample(after, "mm_cycles_total", { ...BTC, outcome: "price-error" })).toBe(1);
    expect(sample(after, "mm_cycle_duration_seconds_count", BTC)).toBe(3);
    expect(sample(after, "mm_cycle_duration_seconds_sum", BTC)).toBeCloseTo(0.043);
    expect(sample(after, "mm_orders_placed_total", { ...BTC, side: "sell" })).toBe(1);
    expect(
      sample(after, "mm_order_failures_total", { ...BTC, action: "place", kind: "unavailable" }),
    ).toBe(1);
    expect(sample(after, "mm_venue_lost_total", BTC)).toBe(1);
    expect(
      sample(after, "mm_rpc_total", { ...BTC, method: "CreateOrder", code: "UNAVAILABLE" }),
    ).toBe(1);
    expect(sample(after, "mm_rpc_total", { ...BTC, method: "CancelOrder", code: "OK" })).toBe(7);
    expect(sample(after, "mm_fills_total", { ...BTC, side: "buy" })).toBe(2);
    expect(sample(after, "mm_traded_volume_total", { ...BTC, side: "buy" })).toBeCloseTo(0.01);
    expect(
      sample(after, "mm_price_source_failures_total", {
        ...BTC,
        source: "binance",
        kind: "timeout",
      }),
    ).toBe(1);
    expect(
      sample(after, "mm_price_failovers_total", { ...BTC, from: "binance", to: "coinbase" }),
    ).toBe(1);
    expect(sample(after, "mm_quotes_pulled_total", BTC)).toBe(1);
    expect(sample(after, "mm_symbol_state", { ...BTC, state: "quoting" })).toBe(0);
    expect(sample(after, "mm_symbol_state", { ...BTC, state: "degraded" })).toBe(1);
    expect(sample(after, "mm_ready")).toBe(0);
  });

  it("drops the label of a source no longer in use", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { url } = await start(supervisor.getStatus);
    const first = await (await fetch(url("/metrics"))).text();
    expect(sample(first, "mm_price_source", { source: "binance" })).toBe(1);
    supervisor.setSynthetic(true);
    const second = await (await fetch(url("/metrics"))).text();
    expect(sample(second, "mm_price_source", { source: "synthetic" })).toBe(1);
    expect(sample(second, "mm_price_source", { source: "binance" })).toBeUndefined();
  });

  it("does not share state between two metric sets (no global registry)", async () => {
    const a = createOpsMetrics({ defaultMetrics: false });
    const b = createOpsMetrics({ defaultMetrics: false });
    a.observe("BTC-USDT", wireCycle("quoted"));
    expect(sample(await a.registry.metrics(), "mm_cycles_total", { outcome: "quoted" })).toBe(1);
    expect(
      sample(await b.registry.metrics(), "mm_cycles_total", { outcome: "quoted" }),
    ).toBeUndefined();
  });

  it("serves the page with a strict CSP, 404 for unknown paths, 405 for writes", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { url } = await start(supervisor.getStatus);
    const page = await fetch(url("/"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(
      /script-src 'self';.*connect-src 'self'/,
    );
    expect(await page.text()).toContain('<main id="symbols">');
    expect((await fetch(url("/nope"))).status).toBe(404);
    const post = await fetch(url("/status"), { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("streams status snapshots on /events", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { url } = await start(supervisor.getStatus);
    const controller = new AbortController();
    const response = await fetch(url("/events"), { signal: controller.signal });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const prices: string[] = [];
    let buffer = "";
    supervisor.setPrice("BTC-USDT", "50000.00");
    while (!prices.includes("50100.00")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended early");
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split("\n").find((line) => line.startsWith("data: "));
        if (data !== undefined) {
          const status = JSON.parse(data.slice(6)) as RunnerStatus;
          prices.push(status.symbols[0]!.price!.value);
          if (prices.length === 1) supervisor.setPrice("BTC-USDT", "50100.00");
        }
        end = buffer.indexOf("\n\n");
      }
    }
    expect(prices[0]).toBe("50000.00");
    expect(prices.at(-1)).toBe("50100.00");
    controller.abort();
  });

  it("close() ends open event streams and keep-alive sockets and resolves", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { server } = await start(supervisor.getStatus);
    const [host, port] = [server.address.split(":")[0]!, Number(server.address.split(":")[1])];

    // A keep-alive client that made one request and keeps its socket open.
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request({ host, port, path: "/healthz", agent }, (response) => {
        response.resume();
        response.on("end", resolve);
      })
        .on("error", reject)
        .end();
    });

    // An SSE client that has received its first snapshot.
    let firstData: () => void = () => {};
    const gotData = new Promise<void>((resolve) => {
      firstData = resolve;
    });
    const streamEnded = new Promise<string>((resolve, reject) => {
      request({ host, port, path: "/events" }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("data: ")) firstData();
        });
        response.on("end", () => resolve(text));
        response.on("error", () => resolve(text));
      })
        .on("error", reject)
        .end();
    });
    await gotData;

    await server.close();
    const received = await streamEnded;
    expect(received).toContain("data: ");
    await server.close(); // idempotent
    agent.destroy();
    await expect(fetch(`http://${server.address}/healthz`)).rejects.toThrow();
  }, 5_000);

  it("refuses to start on an address in use, naming it", async () => {
    const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
    const { server } = await start(supervisor.getStatus);
    await expect(
      startOpsServer({
        address: server.address,
        getStatus: supervisor.getStatus,
        registry: createOpsMetrics({ defaultMetrics: false }).registry,
      }),
    ).rejects.toThrow(new RegExp(`cannot listen on ${server.address}.*EADDRINUSE`));
  });
});
