/**
 * Issue 22, defects 4, 5 and 9 on a real socket: failed logins throttled and their audit
 * lines aggregated, control bodies capped and never echoed long, deep or broken JSON a 400
 * with an audit line, a cap on /events clients, and the Host header checked.
 */
import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { createLoginThrottle } from "../../src/control/http/login-throttle.ts";
import {
  type AuditLine,
  createOpsMetrics,
  type OpsServer,
  startOpsServer,
} from "../../src/ops/index.ts";
import { fakeControl } from "./fake-control.ts";
import { fakeSupervisor } from "./fake-status.ts";
import { sample } from "./scrape.ts";

const TOKEN = "a-long-enough-token-for-tests";

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: {
  allowedHosts?: string[];
  maxEventClients?: number;
  throttle?: { baseDelayMs?: number };
  failureAuditIntervalMs?: number;
}) {
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
  const fake = fakeControl(["BTC-USDT"]);
  const audit: AuditLine[] = [];
  const metrics = createOpsMetrics({ getStatus: supervisor.getStatus, defaultMetrics: false });
  const server = await startOpsServer({
    address: "127.0.0.1:0",
    getStatus: supervisor.getStatus,
    registry: metrics.registry,
    pushIntervalMs: 50,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.maxEventClients ? { maxEventClients: options.maxEventClients } : {}),
    control: {
      token: TOKEN,
      runner: fake.control,
      audit: (line) => audit.push(line),
      ...(options.throttle ? { throttle: options.throttle } : {}),
      ...(options.failureAuditIntervalMs
        ? { failureAuditIntervalMs: options.failureAuditIntervalMs }
        : {}),
    },
  });
  servers.push(server);
  const url = (path: string) => `http://${server.address}${path}`;
  return { server, fake, audit, url, metrics };
}

/** A raw request (fetch cannot set Host, nor send a body without reading it all first). */
function raw(
  address: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: Agent;
  },
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), address.split(":").pop()];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe("failed logins (defect 4)", () => {
  it("a flood of wrong tokens from one address is answered 429 with Retry-After after a few, counted in a metric, audited as one line per interval with a count", async () => {
    const { server, audit, url, metrics, fake } = await start({
      failureAuditIntervalMs: 5000,
      // A lockout longer than the flood, however slow the machine: exact counts below.
      throttle: { baseDelayMs: 60_000 },
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        raw(server.address, {
          method: "POST",
          path: "/control/pause",
          headers: { authorization: "Bearer wrong-guess" },
          body: "{}",
          agent,
        }),
      ),
    );
    agent.destroy();
    const statuses = answers.map((answer) => answer.status);
    // Ten failures a second are free; the eleventh (still a 401) locks the address out.
    expect(statuses.filter((status) => status === 401)).toHaveLength(11);
    expect(statuses.filter((status) => status === 429)).toHaveLength(289);
    const throttled = answers.find((answer) => answer.status === 429)!;
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(50);
    expect(JSON.parse(throttled.text).error).toMatch(/too many failed logins from 127\.0\.0\.1/);
    // Locked out: the right token is refused too (else the lockout would tell a good guess).
    const right = await fetch(url("/control/pause"), {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: "{}",
    });
    expect(right.status).toBe(429);
    expect(fake.calls).toEqual([]);

    // 301 refusals: one line at once, the rest counted into one line per 5 s interval.
    expect(audit[0]).toMatchObject({ outcome: "unauthorized", status: 401 });
    const counted = () => audit.slice(1).reduce((sum, line) => sum + (line.count ?? 0), 0);
    await expect.poll(counted, { timeout: 15_000 }).toBe(300);
    expect(audit.length).toBeLessThanOrEqual(3);
    expect(audit.at(-1)).toMatchObject({ client: "127.0.0.1", outcome: "throttled", status: 429 });
    const text = await metrics.registry.metrics();
    const unauthorized = sample(text, "mm_control_auth_failures_total", {
      outcome: "unauthorized",
    });
    const refused = sample(text, "mm_control_auth_failures_total", { outcome: "throttled" });
    expect(unauthorized).toBe(statuses.filter((status) => status === 401).length);
    expect(refused).toBe(statuses.filter((status) => status === 429).length + 1);
  });

  it("lets the address in again once the lockout passed, and a success forgets it", async () => {
    const { url, fake } = await start({ throttle: { baseDelayMs: 300 } });
    const call = (token: string) =>
      fetch(url("/control/pause"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "{}",
      });
    // Ten failures a second are free; the eleventh locks the address out.
    for (let i = 0; i < 11; i++) expect((await call("nope")).status).toBe(401);
    const locked = await call("nope");
    expect(locked.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await call(TOKEN)).status).toBe(200);
    expect(fake.calls).toEqual(["pause *"]);
  });

  it("locks out for longer each time an address goes on failing (exponential, capped)", () => {
    const throttle = createLoginThrottle({ freePerSecond: 2, baseDelayMs: 1000, maxDelayMs: 8000 });
    let now = 0;
    const lockout = () => {
      for (let i = 0; i < 3; i++) throttle.failed("198.51.100.1", now);
      const wait = throttle.retryInMs("198.51.100.1", now);
      now += wait;
      return wait;
    };
    expect([lockout(), lockout(), lockout(), lockout(), lockout()]).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
    expect(throttle.retryInMs("203.0.113.9", now)).toBe(0);
    throttle.succeeded("198.51.100.1");
    expect(throttle.size).toBe(0);
  });

  it("refuses a CONTROL_TOKEN shorter than 16 characters on a reachable address, warns on loopback, never shows it", () => {
    const open = resolveConfig({
      argv: [],
      env: { CONTROL_TOKEN: "x", METRICS_ADDR: "0.0.0.0:9464" },
      cwd: "/tmp",
    });
    expect(open.config).toBeUndefined();
    expect(open.problems).toEqual([
      expect.objectContaining({
        name: "CONTROL_TOKEN",
        message: expect.stringMatching(
          /too short .*METRICS_ADDR=0\.0\.0\.0:9464.* 1 character long/,
        ),
      }),
    ]);
    expect(open.problems[0]).not.toHaveProperty("value");
    const local = resolveConfig({ argv: [], env: { CONTROL_TOKEN: "x" }, cwd: "/tmp" });
    expect(local.config?.controlToken).toBe("x");
    expect(local.warnings).toEqual([
      expect.stringMatching(/^WEAK CONTROL TOKEN: CONTROL_TOKEN is 1 character long/),
    ]);
    const strong = resolveConfig({
      argv: [],
      env: { CONTROL_TOKEN: TOKEN, METRICS_ADDR: "0.0.0.0:9464" },
      cwd: "/tmp",
    });
    expect(strong.problems).toEqual([]);
    expect(strong.warnings).toEqual([]);
  });
});

describe("control bodies (defect 5)", () => {
  const authorized = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

  it("answers a 10 MB body 413 from its Content-Length, and a streamed one as soon as it passes 16 KiB, with an audit line", async () => {
    const { server, audit, fake } = await start({});
    const big = JSON.stringify({ orderSize: "9".repeat(10 * 1024 * 1024) });
    const declared = await raw(server.address, {
      method: "PATCH",
      path: "/control/params",
      headers: { ...authorized, "content-length": String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.text.length).toBeLessThan(200);
    const chunked = await raw(server.address, {
      method: "PATCH",
      path: "/control/params",
      headers: { ...authorized, "transfer-encoding": "chunked" },
      body: big,
    });
    expect(chunked.status).toBe(413);
    expect(audit.map((line) => [line.action, line.outcome, line.status])).toEqual([
      ["params-update", "too-large", 413],
      ["params-update", "too-large", 413],
    ]);
    expect(JSON.stringify(audit).length).toBeLessThan(1000);
    expect(fake.calls).toEqual([]);
  });

  it("never echoes a long value or key: clipped with an ellipsis in the answer and the audit line", async () => {
    const { url, audit } = await start({});
    const long = "x".repeat(6000);
    const response = await fetch(url("/control/params"), {
      method: "PATCH",
      headers: authorized,
      body: JSON.stringify({ orderSize: long, [long]: 1 }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain(`orderSize=\\"${"x".repeat(40)}…\\"`);
    expect(text).toContain(`${"x".repeat(40)}…=1`);
    expect(JSON.stringify(audit).length).toBeLessThan(1500);
    expect(audit[0]).toMatchObject({ outcome: "invalid", status: 400 });
  });

  it("answers deeply nested JSON 400 (or 413 past the limit) with an audit line, never 500", async () => {
    const { url, audit } = await start({});
    const nested = (depth: number) => `{"symbol":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const deep = await fetch(url("/control/pause"), {
      method: "POST",
      headers: authorized,
      body: nested(5000),
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ problems: ["body: nested deeper than 8 levels"] });
    const deeper = await fetch(url("/control/params"), {
      method: "PATCH",
      headers: authorized,
      body: nested(50_000),
    });
    expect(deeper.status).toBe(413);
    const broken = await fetch(url("/control/params"), {
      method: "PATCH",
      headers: authorized,
      body: `{"orderSize": ${"1".repeat(5000)}`,
    });
    expect(broken.status).toBe(400);
    expect((await broken.text()).length).toBeLessThan(400);
    expect(audit.map((line) => [line.action, line.outcome, line.status])).toEqual([
      ["pause", "invalid", 400],
      ["params-update", "too-large", 413],
      ["params-update", "invalid", 400],
    ]);
  });
});

describe("resource caps and the Host header (defect 9)", () => {
  it("serves at most OPS_MAX_EVENT_CLIENTS /events streams; one more gets 503 until one closes", async () => {
    const { url } = await start({ maxEventClients: 3 });
    const streams = await Promise.all(
      [1, 2, 3].map(async () => {
        const controller = new AbortController();
        const response = await fetch(url("/events"), { signal: controller.signal });
        return { response, controller };
      }),
    );
    expect(streams.map((stream) => stream.response.status)).toEqual([200, 200, 200]);
    const fourth = await fetch(url("/events"));
    expect(fourth.status).toBe(503);
    expect(fourth.headers.get("retry-after")).toBe("5");
    expect(await fourth.text()).toMatch(/too many live pages open \(3, OPS_MAX_EVENT_CLIENTS\)/);
    streams[0]!.controller.abort();
    await expect
      .poll(
        async () => {
          const controller = new AbortController();
          const response = await fetch(url("/events"), { signal: controller.signal });
          controller.abort();
          return response.status;
        },
        { timeout: 5000 },
      )
      .toBe(200);
    for (const stream of streams.slice(1)) stream.controller.abort();
  });

  it("answers 421 to a Host that is not an IP address, localhost or an OPS_ALLOWED_HOSTS name", async () => {
    const { server } = await start({ allowedHosts: ["mm-1.internal"] });
    const port = server.address.split(":").pop();
    const statusFor = async (host: string, path = "/status") =>
      (await raw(server.address, { path, headers: { host } })).status;
    expect(await statusFor(`evil.example:${port}`)).toBe(421);
    expect(await statusFor(`evil.example:${port}`, "/metrics")).toBe(421);
    expect(await statusFor(`127.0.0.1.evil.example`)).toBe(421);
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`[::1]:${port}`)).toBe(200);
    expect(await statusFor(`MM-1.internal:${port}`)).toBe(200);
    const refused = await raw(server.address, {
      path: "/status",
      headers: { host: `evil.example:${port}` },
    });
    expect(refused.text).toMatch(/host not allowed: evil\.example.*OPS_ALLOWED_HOSTS/);
  });
});
