import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type NewFill, openLedger } from "../src/ledger/ledger.ts";
import { ledgerPath } from "../src/ledger/path.ts";
import { cents } from "../src/ledger/report.ts";
import { runReportCommand } from "../src/ledger/report-command.ts";

const at = (iso: string) => Date.parse(iso);
const FILLS: NewFill[] = [
  // Before the period: builds the BTC average cost the period's sells close against.
  {
    orderId: "b1",
    symbol: "BTC-USDT",
    side: "buy",
    price: "50000",
    quantity: "0.5",
    feeBps: "1",
    time: at("2026-11-29T10:00:00Z"),
    source: "poll",
  },
  {
    orderId: "b2",
    symbol: "BTC-USDT",
    side: "buy",
    price: "50400",
    quantity: "0.25",
    feeBps: "1",
    time: at("2026-11-30T09:00:00Z"),
    source: "place-response",
  },
  {
    orderId: "s1",
    symbol: "BTC-USDT",
    side: "sell",
    price: "50600.5",
    quantity: "0.5",
    feeBps: "1",
    time: at("2026-11-30T10:00:00Z"),
    source: "poll",
  },
  {
    orderId: "s2",
    symbol: "BTC-USDT",
    side: "sell",
    price: "50100",
    quantity: "0.1",
    feeBps: "1",
    time: at("2026-12-01T01:00:00Z"),
    source: "cancel-found-gone",
  },
  {
    orderId: "e1",
    symbol: "ETH-USDT",
    side: "sell",
    price: "3000.25",
    quantity: "2",
    feeBps: "1",
    time: at("2026-11-30T11:00:00Z"),
    source: "poll",
  },
  {
    orderId: "e2",
    symbol: "ETH-USDT",
    side: "buy",
    price: "2990.1",
    quantity: "1.5",
    feeBps: "1",
    time: at("2026-11-30T12:00:00Z"),
    source: "poll",
  },
];

const stateDir = mkdtempSync(join(tmpdir(), "mm-report-"));
const env = { STATE_DIR: stateDir, MARKET_MAKER_ID: "mm-07" };
const appDir = join(import.meta.dirname, "..");

beforeAll(() => {
  mkdirSync(join(stateDir, "mm-07"), { recursive: true });
  const ledger = openLedger(ledgerPath(stateDir, "mm-07"));
  for (const fill of FILLS) ledger.recordFill(fill);
  ledger.close();
});

function run(argv: string[], environment: Record<string, string> = env) {
  let out = "";
  let err = "";
  const code = runReportCommand({
    argv,
    env: environment,
    cwd: stateDir,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

/** The cells of the row that starts with `label`. */
function row(output: string, label: string): string[] {
  const line = output.split("\n").find((text) => text.startsWith(`${label} `));
  if (line === undefined) throw new Error(`no row ${label} in:\n${output}`);
  return line.slice(label.length).trim().split(/\s+/);
}

describe("the report", () => {
  it("prints per symbol fills, volume, position, realized and unrealized P&L, to the cent", () => {
    const { code, out, err } = run(["--", "--since", "2026-11-30"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    // fills buys sells base-volume volume position mark realized unrealized fees
    // BTC: 12600 + 25300.25 + 5010; realized 225.958975…; left 0.15 at basis 7520.00…01
    expect(row(out, "BTC-USDT")).toEqual([
      "3",
      "1",
      "2",
      "0.85",
      "42910.25",
      "0.15",
      "50100*",
      "225.96",
      "-5.00",
      "4.29",
    ]);
    // ETH: short 2 at 3000.25, bought back 1.5 at 2990.1: 15.225 − fees 1.048565; −0.5 at 2990.1 → 5.075
    expect(row(out, "ETH-USDT")).toEqual([
      "2",
      "1",
      "1",
      "3.5",
      "10485.65",
      "-0.5",
      "2990.1*",
      "14.18",
      "5.08",
      "1.05",
    ]);
    expect(row(out, "TOTAL USDT")).toEqual(["5", "53395.90", "240.14", "0.07", "5.34"]);
    expect(out).toContain("marked at the last fill price");
  });

  it("marks at --mark and counts only the period, with realized P&L from the average cost before it", () => {
    const { out } = run([
      "--since",
      "2026-11-30",
      "--until",
      "2026-12-01",
      "--mark",
      "BTC-USDT=51000",
      "--symbol",
      "btc-usdt",
    ]);
    // Without s2: realized 227.2933…34 − (−2.5 before the period); 0.25 left at basis
    // 12533.33…34, marked at 51000 → 216.67.
    expect(row(out, "BTC-USDT")).toEqual([
      "2",
      "1",
      "1",
      "0.75",
      "37900.25",
      "0.25",
      "51000",
      "229.79",
      "216.67",
      "3.79",
    ]);
    expect(out).not.toContain("ETH-USDT");
  });

  it("writes the period's fills as CSV", () => {
    const file = join(stateDir, "fills.csv");
    const { out } = run(["--since", "2026-11-30T10:00:00Z", "--csv", file]);
    expect(out).toContain(`Wrote 4 fills to ${file}`);
    expect(readFileSync(file, "utf8").split("\n")).toEqual([
      "seq,time,symbol,order_id,side,price,quantity,fee,source",
      "3,2026-11-30T10:00:00.000Z,BTC-USDT,s1,sell,50600.5,0.5,2.530025,poll",
      "4,2026-12-01T01:00:00.000Z,BTC-USDT,s2,sell,50100,0.1,0.501,cancel-found-gone",
      "5,2026-11-30T11:00:00.000Z,ETH-USDT,e1,sell,3000.25,2,0.60005,poll",
      "6,2026-11-30T12:00:00.000Z,ETH-USDT,e2,buy,2990.1,1.5,0.448515,poll",
      "",
    ]);
  });

  it("names every bad argument, and says where it looked for a missing ledger", () => {
    const bad = run(["--since", "30.11.2026", "--mark", "BTC-USDT", "--num-levels", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--since="30.11.2026": must be a UTC date like 2026-11-30');
    expect(bad.err).toContain('--mark="BTC-USDT": must be SYMBOL=PRICE');
    expect(bad.err).toContain('--num-levels="0": must be at least 1');
    const missing = run([], { STATE_DIR: stateDir, MARKET_MAKER_ID: "nobody" });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`no ledger at ${join(stateDir, "nobody", "ledger.sqlite")}`);
  });

  it("cents round half away from zero", () => {
    expect([
      cents("5.075"),
      cents("-5.075"),
      cents("0.074999"),
      cents("-0.004"),
      cents("3"),
    ]).toEqual(["5.08", "-5.08", "0.07", "0.00", "3.00"]);
  });

  it("under pnpm (INIT_CWD), --csv fills.csv lands where the user typed the command, not in apps/mm-runner", () => {
    const user = mkdtempSync(join(tmpdir(), "mm-report-user-"));
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/report-main.ts", "--since", "2026-11-30", "--csv", "fills.csv"],
      {
        cwd: appDir,
        env: { PATH: process.env.PATH ?? "", ...env, INIT_CWD: user },
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readFileSync(join(user, "fills.csv"), "utf8").split("\n")[0]).toMatch(
      /^seq,time,symbol,/,
    );
  });

  it("runs from the bin as `mm-runner report`", () => {
    const result = spawnSync(
      process.execPath,
      ["bin/mm-runner.js", "report", "--since", "2026-11-30"],
      {
        cwd: appDir,
        env: { ...process.env, ...env },
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(row(result.stdout, "TOTAL USDT")).toEqual(["5", "53395.90", "240.14", "0.07", "5.34"]);
  });
});
