import { afterEach, expect, it } from "vitest";
import {
  type AuditLine,
  createOpsMetrics,
  type OpsServer,
  startOpsServer,
} from "../../src/ops/index.ts";
import { fakeControl } from "./fake-control.ts";
import { fakeSupervisor } from "./fake-status.ts";

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
});

it("serves the control API on a real socket, auditing the caller's address", async () => {
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
  const fake = fakeControl(["BTC-USDT"]);
  const audit: AuditLine[] = [];
  const metrics = createOpsMetrics({ getStatus: supervisor.getStatus, defaultMetrics: false });
  server = await startOpsServer({
    address: "127.0.0.1:0",
    getStatus: supervisor.getStatus,
    registry: metrics.registry,
    control: { token: "tok-123", runner: fake.control, audit: (line) => audit.push(line) },
  });
  const url = `http://${server.address}/control/pause`;
  const denied = await fetch(url, { method: "POST", body: "{}" });
  expect(denied.status).toBe(401);
  const paused = await fetch(url, {
    method: "POST",
    headers: { authorization: "Bearer tok-123", "content-type": "application/json" },
    body: JSON.stringify({ symbol: "BTC-USDT" }),
  });
  expect(paused.status).toBe(200);
  expect(await paused.json()).toMatchObject({ symbols: ["BTC-USDT"], cancelled: 4 });
  expect(fake.calls).toEqual(["pause BTC-USDT"]);
  expect(audit.map((line) => [line.outcome, line.client.replace(/:\d+$/, "")])).toEqual([
    ["unauthorized", "127.0.0.1"],
    ["ok", "127.0.0.1"],
  ]);
  // The read side is unchanged next to it, and the history the charts need is served.
  expect((await fetch(`http://${server.address}/readyz`)).status).toBe(200);
  const history = (await (await fetch(`http://${server.address}/history`)).json()) as Record<
    string,
    { price: number[] }
  >;
  expect(history["BTC-USDT"]?.price[0]).toBe(50000);
});
