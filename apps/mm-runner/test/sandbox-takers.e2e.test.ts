import { killAllRunners, startRunnerProcess, tempDir, waitFor } from "@matchingo-mm/testkit";
import { afterAll, expect, it } from "vitest";
import { runReportCommand } from "../src/ledger/report-command.ts";

afterAll(() => killAllRunners());

interface Status {
  symbols: Array<{
    fills: { count: number };
    position: string;
    pnl?: string;
    depth?: {
      bids: Array<{ ours: string; others: string }>;
      asks: Array<{ ours: string; others: string }>;
    };
  }>;
}

it("the sandbox trades: the taker flow fills our ladder, /status shows fills, position and P&L, and the report has rows", async () => {
  const stateDir = tempDir();
  const runner = startRunnerProcess({
    PRICE_SOURCES: "synthetic",
    STATE_DIR: stateDir,
    METRICS_ADDR: "127.0.0.1:0",
    UPDATE_INTERVAL_SECONDS: "1",
  });
  const announced = await runner.waitForLog((line) =>
    /^SANDBOX: a seeded flow of taker/.test(line.msg),
  );
  expect(announced.msg).toContain("SANDBOX_TAKERS=0");
  // A taker every ~2.5 s, about half of them trading: a fill within well under a minute.
  const fill = await runner.waitForLog((line) => String(line.msg).startsWith("fill:"), 60_000);
  expect(fill.msg).toMatch(/^fill: (buy|sell) 0\.\d+ @ \d+\.\d+, position -?\d+(\.\d+)?$/);

  const opsLine = await runner.waitForLog((line) => typeof line.ops === "string");
  const status = await waitFor(async () => {
    const answer = (await (await fetch(`http://${opsLine.ops}/status`)).json()) as Status;
    const symbol = answer.symbols[0]!;
    return symbol.fills.count > 0 && symbol.pnl !== undefined && symbol;
  });
  expect(status.position).toMatch(/^-?\d+(\.\d+)?$/);
  // The embedded venue's book, read in-process, with our orders in it.
  expect(status.depth?.bids.some((level) => level.ours !== "0")).toBe(true);
  // And someone else's, beyond our ladder.
  const others = await waitFor(async () => {
    const answer = (await (await fetch(`http://${opsLine.ops}/status`)).json()) as Status;
    const depth = answer.symbols[0]?.depth;
    return depth?.asks.some((level) => level.others !== "0") && depth;
  });
  expect(others.bids.some((level) => level.others !== "0")).toBe(true);

  runner.kill("SIGINT");
  expect((await runner.exited).code).toBe(0);

  let out = "";
  const code = runReportCommand({
    argv: [],
    env: { STATE_DIR: stateDir },
    cwd: stateDir,
    stdout: (text) => {
      out += text;
    },
    stderr: () => {},
  });
  expect(code).toBe(0);
  expect(out).not.toContain("No fills");
  expect(out).toMatch(/^BTC-USDT\s+[1-9]\d*\s/m);
});
