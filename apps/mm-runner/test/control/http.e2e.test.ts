import { startRunnerProcess, tempDir, waitFor } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { LADDER, LADDER_ENV, ladderOf } from "../faults/harness/ladder.ts";
import { same, useControlFixture } from "./fixture.ts";

const BTC = "BTC-USDT";
const TOKEN = "s3cret-token-for-tests";
const fixture = useControlFixture({ [BTC]: "50000" });
const book = () => fixture.book(BTC);

it("the ops server's control API drives the runner's control: pause, params, resume, seen on the venue", async () => {
  const runner = startRunnerProcess({
    ...LADDER_ENV,
    BASE_SPREAD_PERCENT: "",
    MATCHINGO_GRPC_ADDR: fixture.venue.address,
    BINANCE_URL: fixture.prices.url,
    COINBASE_URL: fixture.prices.url,
    KRAKEN_URL: fixture.prices.url,
    MARKET_SYMBOL: BTC,
    MARKET_MAKER_ID: "mm-http",
    UPDATE_INTERVAL_SECONDS: "0.3",
    METRICS_ADDR: "127.0.0.1:0",
    CONTROL_TOKEN: TOKEN,
    STATE_DIR: tempDir("mm-http-"),
  });
  const opsLine = await runner.waitForLog((line) => typeof line.ops === "string");
  const ops = opsLine.ops as string;
  // The start says the control API is on, and where.
  expect(opsLine.msg).toContain(`control API on at http://${ops}/control`);
  const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`http://${ops}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  await waitFor(() => same(book(), ladderOf("50000")), 20_000, "the ladder");

  expect((await call("POST", "/control/pause", {}, null)).status).toBe(401);
  expect(fixture.venue.liveOrders(BTC)).toHaveLength(6);

  const paused = await call("POST", "/control/pause", { symbol: BTC });
  expect(paused.status).toBe(200);
  const pausedBody = (await paused.json()) as object;
  expect(pausedBody, JSON.stringify(pausedBody)).toMatchObject({
    symbols: [BTC],
    cancelled: 6,
    failed: [],
  });
  expect(fixture.venue.liveOrders(BTC)).toEqual([]);
  const status = (await (await fetch(`http://${ops}/status`)).json()) as {
    symbols: { state: string }[];
  };
  expect(status.symbols[0]?.state).toBe("paused");

  const bad = await call("PATCH", "/control/params", {
    symbol: "BTC-USDT",
    baseSpreadPercent: "0.000001",
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toMatch(/at BTC-USDT's price 50000/);
  // The log line of a refused change says why.
  const refused = await runner.waitForLog((line) =>
    /^control params-update BTC-USDT: rejected \(/.test(line.msg),
  );
  expect(refused.msg).toMatch(/at BTC-USDT's price 50000/);
  const forgot = await call("PATCH", "/control/params", { baseSpreadPercent: "0.2" });
  expect(forgot.status).toBe(400);
  expect(JSON.stringify(await forgot.json())).toContain("symbol: is required");

  const changed = await call("PATCH", "/control/params", { symbol: "*", baseSpreadPercent: "0.2" });
  expect(changed.status).toBe(200);
  const params = (await (await call("GET", "/control/params")).json()) as {
    symbols: { params: Record<string, { value: unknown; origin: string }> }[];
  };
  expect(params.symbols[0]?.params.baseSpreadPercent).toMatchObject({
    value: "0.2",
    origin: "control",
  });

  expect((await call("POST", "/control/resume", {})).status).toBe(200);
  const wanted = ladderOf("50000", { ...LADDER, baseSpreadPercent: "0.2" });
  await waitFor(() => same(book(), wanted), 20_000, "the ladder at the new spread");

  const audits = runner.logs.filter((line) => line.audit !== undefined);
  expect(audits.length).toBeGreaterThanOrEqual(6);
  expect(runner.stdout()).not.toContain(TOKEN);
  runner.kill("SIGTERM");
  expect((await runner.exited).code).toBe(0);
});
