import { describe, expect, it } from "vitest";
import { type AuditLine, createOpsApp, createOpsMetrics } from "../../src/ops/index.ts";
import { fakeControl } from "./fake-control.ts";
import { fakeSupervisor } from "./fake-status.ts";

const TOKEN = "s3cret-token-for-tests";

function setup(options: { token?: string } = { token: TOKEN }) {
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00", "ETH-USDT": "3000.00" });
  const fake = fakeControl(["BTC-USDT", "ETH-USDT"]);
  const audit: AuditLine[] = [];
  const metrics = createOpsMetrics({ getStatus: supervisor.getStatus, defaultMetrics: false });
  const app = createOpsApp({
    getStatus: supervisor.getStatus,
    registry: metrics.registry,
    ...(options.token === undefined
      ? {}
      : { control: { token: options.token, runner: fake.control, audit: (l) => audit.push(l) } }),
    clientAddress: () => "203.0.113.7:5555",
  });
  const call = (
    method: string,
    path: string,
    body?: unknown,
    auth: string | null = `Bearer ${TOKEN}`,
  ) =>
    app.fetch(
      new Request(`http://ops.test${path}`, {
        method,
        headers: {
          ...(auth === null ? {} : { authorization: auth }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
    );
  return { app, fake, audit, call };
}

const ENDPOINTS: [string, string, unknown][] = [
  ["POST", "/control/pause", {}],
  ["POST", "/control/resume", { symbol: "BTC-USDT" }],
  ["POST", "/control/cancel-all", undefined],
  ["PATCH", "/control/params", { symbol: "*", baseSpreadPercent: "0.2" }],
  ["GET", "/control/params", undefined],
];

describe("the control API (app.fetch, a fake runner)", () => {
  it("is absent without CONTROL_TOKEN: every control path is 404", async () => {
    const { call, fake } = setup({});
    for (const [method, path, body] of ENDPOINTS) {
      const response = await call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(fake.calls).toEqual([]);
  });

  it.each(ENDPOINTS)(
    "%s %s: 401 without a token or with a wrong one, nothing changed",
    async (method, path, body) => {
      const { call, fake, audit } = setup();
      for (const auth of [
        null,
        "Bearer wrong",
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        TOKEN,
        "Bearer ",
      ]) {
        const response = await call(method, path, body, auth);
        expect(response.status, `auth ${auth}`).toBe(401);
        expect(await response.json()).toEqual({
          error: "unauthorized: send Authorization: Bearer <CONTROL_TOKEN>",
        });
      }
      expect(fake.calls).toEqual([]);
      expect(fake.paused.size).toBe(0);
      expect(audit.every((line) => line.outcome === "unauthorized" && line.status === 401)).toBe(
        true,
      );
      // The address's first refusal at once; the next five are counted into one line at the
      // end of the audit interval (see "failed logins" below).
      expect(audit).toHaveLength(1);
    },
  );

  it("pauses and resumes one symbol or all, answering what the runner did", async () => {
    const { call, fake } = setup();
    const one = await call("POST", "/control/pause", { symbol: "btc-usdt" });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({
      symbols: ["BTC-USDT"],
      cancelled: 4,
      alreadyGone: 0,
      failed: [],
    });
    expect([...fake.paused]).toEqual(["BTC-USDT"]);
    const all = await call("POST", "/control/pause", {});
    expect(((await all.json()) as { symbols: string[] }).symbols).toEqual(["BTC-USDT", "ETH-USDT"]);
    const resume = await call("POST", "/control/resume", { symbol: "ETH-USDT" });
    expect(await resume.json()).toEqual({ symbols: ["ETH-USDT"] });
    expect([...fake.paused]).toEqual(["BTC-USDT"]);
    // An empty body means every symbol too.
    expect((await call("POST", "/control/resume")).status).toBe(200);
    expect(fake.paused.size).toBe(0);
    expect(fake.calls).toEqual(["pause BTC-USDT", "pause *", "resume ETH-USDT", "resume *"]);
  });

  it("answers the kill switch with the counts", async () => {
    const { call, fake } = setup();
    const response = await call("POST", "/control/cancel-all");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      symbols: ["BTC-USDT", "ETH-USDT"],
      cancelled: 8,
      alreadyGone: 0,
      failed: [],
    });
    expect([...fake.paused].sort()).toEqual(["BTC-USDT", "ETH-USDT"]);
  });

  it("404s an unknown symbol, naming it, and changes nothing", async () => {
    const { call, fake } = setup();
    for (const [method, path, body] of [
      ["POST", "/control/pause", { symbol: "DOGE-USDT" }],
      ["POST", "/control/resume", { symbol: "DOGE-USDT" }],
      ["PATCH", "/control/params", { symbol: "DOGE-USDT", numLevels: 3 }],
      ["GET", "/control/params?symbol=DOGE-USDT", undefined],
    ] as const) {
      const response = await call(method, path, body);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: string }).error).toBe(
        "unknown symbol DOGE-USDT (quoting: BTC-USDT, ETH-USDT)",
      );
    }
    expect(fake.calls).toEqual([]);
  });

  it("shows the parameters in effect and where each came from", async () => {
    const { call } = setup();
    const response = await call("GET", "/control/params?symbol=ETH-USDT");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { symbols: { symbol: string; params: object }[] };
    expect(body.symbols).toHaveLength(1);
    expect(body.symbols[0]).toMatchObject({
      symbol: "ETH-USDT",
      params: {
        baseSpreadPercent: { value: "0.1", origin: "default" },
        numLevels: { value: 2, origin: "flag", name: "--num-levels" },
        orderSize: { origin: "file" },
        priceStepPercent: { origin: "env" },
      },
    });
  });

  it("changes parameters, validated as configuration is, and shows them as from the control API", async () => {
    const { call, fake } = setup();
    const response = await call("PATCH", "/control/params", {
      symbol: "BTC-USDT",
      baseSpreadPercent: "0.2",
      numLevels: "3",
    });
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual(['params BTC-USDT {"baseSpreadPercent":"0.2","numLevels":3}']);
    const after = fake.params();
    expect(after.find((s) => s.symbol === "BTC-USDT")?.params.baseSpreadPercent).toEqual({
      value: "0.2",
      origin: "control",
      name: "PATCH /control/params",
    });
    expect(after.find((s) => s.symbol === "ETH-USDT")?.params.baseSpreadPercent.value).toBe("0.1");
  });

  it("refuses a bad body with every problem named, in configuration's words, and changes nothing", async () => {
    const { call, fake, audit } = setup();
    const response = await call("PATCH", "/control/params", {
      baseSpreadPercent: "1e-3",
      numLevels: 0,
      orderSize: "-1",
      priceStepPercent: "abc",
      updateIntervalSeconds: "5",
      symbol: "btc_usdt",
    });
    expect(response.status).toBe(400);
    const { problems } = (await response.json()) as { problems: string[] };
    expect(problems).toEqual([
      'baseSpreadPercent="1e-3": must be a plain decimal number like 0.1 (no exponent, no unit)',
      "numLevels=0: must be at least 1",
      'orderSize="-1": must be greater than 0',
      'priceStepPercent="abc": must be a plain decimal number like 0.1 (no exponent, no unit)',
      'updateIntervalSeconds="5": cannot be changed while running (these can: baseSpreadPercent, priceStepPercent, numLevels, orderSize, orderSizeStep, orderSizeMultiplier, refreshTolerancePercent, minRequoteIntervalMs, asGamma, asKappa, asHorizonSeconds, volatilityWindowSeconds, maxPosition, inventorySkewPercent, makerFeeBps, maxLoss, maxDrawdown)',
      'symbol="btc_usdt": must be BASE-QUOTE, e.g. BTC-USDT',
    ]);
    for (const [body, expected] of [
      ["{not json", /^body: not valid JSON/],
      ["[1,2]", /^body: must be a JSON object/],
      ["{}", /^body: names no parameter to change/],
    ] as const) {
      const bad = await call("PATCH", "/control/params", body);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { problems: string[] }).problems[0]).toMatch(expected);
    }
    const pause = await call("POST", "/control/pause", { symbol: "BTC-USDT", force: true });
    expect(pause.status).toBe(400);
    expect(await pause.json()).toEqual({
      problems: ['force=true: unknown field (only "symbol")'],
    });
    expect(fake.calls).toEqual([]);
    expect(fake.params()[0]?.params.baseSpreadPercent.value).toBe("0.1");
    expect(audit.map((line) => line.outcome)).toEqual(Array(5).fill("invalid"));
  });

  it("changes risk limits live and removes one with null", async () => {
    const { call, fake } = setup();
    const response = await call("PATCH", "/control/params", {
      symbol: "BTC-USDT",
      maxPosition: null,
      maxLoss: "250",
      makerFeeBps: "1.5",
    });
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([
      'params BTC-USDT {"maxPosition":null,"maxLoss":"250","makerFeeBps":"1.5"}',
    ]);
    const btc = fake.params().find((s) => s.symbol === "BTC-USDT")?.params;
    expect(btc?.maxPosition).toEqual({
      value: null,
      origin: "control",
      name: "PATCH /control/params",
    });
    expect(btc?.maxLoss.value).toBe("250");
    const shown = await call("GET", "/control/params?symbol=ETH-USDT");
    expect(await shown.json()).toMatchObject({
      symbols: [
        {
          params: {
            maxPosition: { value: "0.05", origin: "env", name: "MAX_POSITION" },
            maxLoss: { value: null, origin: "default" },
          },
        },
      ],
    });
  });

  it("refuses bad risk values with each problem named, and changes nothing", async () => {
    const { call, fake, audit } = setup();
    const response = await call("PATCH", "/control/params", {
      symbol: "BTC-USDT",
      maxPosition: "0",
      inventorySkewPercent: null,
      makerFeeBps: "-1",
      maxLoss: "lots",
      maxDrawdown: "1e3",
    });
    expect(response.status).toBe(400);
    const { problems } = (await response.json()) as { problems: string[] };
    expect(problems).toEqual([
      'maxPosition="0": must be greater than 0',
      "inventorySkewPercent=null: cannot be removed (null); set it to a value (its default is 0)",
      'makerFeeBps="-1": must not be negative',
      'maxLoss="lots": must be a plain decimal number like 0.1 (no exponent, no unit)',
      'maxDrawdown="1e3": must be a plain decimal number like 0.1 (no exponent, no unit)',
    ]);
    expect(fake.calls).toEqual([]);
    expect(fake.params()[0]?.params.maxPosition.value).toBe("0.05");
    expect(audit.map((line) => line.outcome)).toEqual(["invalid"]);
  });

  it('refuses a change without `symbol` (400 naming it); `"symbol": "*"` means every symbol', async () => {
    const { call, fake } = setup();
    const forgot = await call("PATCH", "/control/params", { baseSpreadPercent: "0.2" });
    expect(forgot.status).toBe(400);
    expect(await forgot.json()).toEqual({
      problems: ['symbol: is required: the symbol to change, or "*" for every symbol'],
    });
    expect(fake.calls).toEqual([]);
    const all = await call("PATCH", "/control/params", { symbol: "*", baseSpreadPercent: "0.2" });
    expect(all.status).toBe(200);
    expect(fake.calls).toEqual(['params * {"baseSpreadPercent":"0.2"}']);
    const pauseAll = await call("POST", "/control/pause", { symbol: "*" });
    expect(pauseAll.status).toBe(200);
  });

  it("passes the runner's refusal on as 400 with its problems", async () => {
    const { call, fake } = setup();
    fake.rejectNext(["BTC-USDT: the ladder would cross at 50000.00 (bid 50001 >= ask 50000)"]);
    const response = await call("PATCH", "/control/params", {
      symbol: "*",
      baseSpreadPercent: "0.001",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      problems: ["BTC-USDT: the ladder would cross at 50000.00 (bid 50001 >= ask 50000)"],
    });
  });

  it("writes one audit line per action with action, symbol, values, outcome and client, never the token", async () => {
    const { call, audit } = setup();
    await call("POST", "/control/pause", { symbol: "ETH-USDT" });
    await call("PATCH", "/control/params", { symbol: "ETH-USDT", orderSize: "0.5" });
    await call("POST", "/control/cancel-all", undefined, "Bearer nope");
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({
      action: "pause",
      symbol: "ETH-USDT",
      outcome: "ok",
      status: 200,
      client: "203.0.113.7:5555",
    });
    expect(audit[1]).toMatchObject({
      action: "params-update",
      symbol: "ETH-USDT",
      values: { orderSize: "0.5" },
      outcome: "ok",
    });
    expect(audit[2]).toMatchObject({ action: "cancel-all", outcome: "unauthorized", status: 401 });
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
    expect(JSON.stringify(audit)).not.toContain("nope");
  });

  it("keeps the read-only endpoints read-only", async () => {
    const { call } = setup();
    const response = await call("POST", "/status", {});
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect((await call("GET", "/status")).status).toBe(200);
  });
});
