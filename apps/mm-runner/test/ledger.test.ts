import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyFill, EMPTY_PNL } from "@matchingo-mm/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Ledger, type NewFill, openLedger } from "../src/ledger/ledger.ts";
import { ledgerPath } from "../src/ledger/path.ts";

const open: Ledger[] = [];
const tracked = (ledger: Ledger) => {
  open.push(ledger);
  return ledger;
};
afterEach(() => {
  for (const ledger of open.splice(0)) ledger.close();
});
const freshPath = () => join(mkdtempSync(join(tmpdir(), "mm-ledger-")), "ledger.sqlite");

const fill = (overrides: Partial<NewFill>): NewFill => ({
  orderId: "mm-01-1",
  symbol: "BTC-USDT",
  side: "buy",
  price: "100",
  quantity: "1",
  time: 1_796_000_000_000,
  source: "poll",
  ...overrides,
});

const TAPE: NewFill[] = [
  fill({ orderId: "a", side: "buy", price: "100", quantity: "1", feeBps: "10" }),
  fill({
    orderId: "b",
    side: "buy",
    price: "101",
    quantity: "2",
    feeBps: "10",
    source: "place-response",
  }),
  fill({ orderId: "c", side: "sell", price: "102", quantity: "1", feeBps: "10" }),
  fill({ orderId: "d", symbol: "ETH-USDT", side: "sell", price: "3000.5", quantity: "0.25" }),
  fill({ orderId: "e", side: "sell", price: "99.5", quantity: "4", source: "cancel-found-gone" }),
];

describe("ledger", () => {
  it("lives in the runner's state folder", () => {
    expect(ledgerPath("/srv/state", "mm-01")).toBe("/srv/state/mm-01/ledger.sqlite");
  });

  it("after reopening has exactly the same fills, positions and P&L", () => {
    const path = freshPath();
    const ledger = openLedger(path);
    let expected = EMPTY_PNL;
    for (const item of TAPE) {
      const after = ledger.recordFill(item);
      if (item.symbol === "BTC-USDT") {
        expected = applyFill(expected, item);
        expect(after).toEqual(expected);
      }
    }
    const before = { btc: ledger.pnl("BTC-USDT", "98"), eth: ledger.pnl("ETH-USDT", "2990") };
    expect(before.btc).toMatchObject({
      position: "-2",
      // 102 − 302/3 (+1.33…34), then 199 − the basis left 201.33…34 (−2.33…34): −1, − fees
      realized: "-1.404",
      fees: "0.404", // 0.1 + 0.202 + 0.102
      fills: 4,
      unrealized: "3", // short 2 at 99.5, marked at 98
    });
    ledger.close();

    const again = tracked(openLedger(path));
    expect(again.pnl("BTC-USDT", "98")).toEqual(before.btc);
    expect(again.pnl("ETH-USDT", "2990")).toEqual(before.eth);
    expect(again.position("ETH-USDT")).toBe("-0.25");
    expect(again.fills()).toHaveLength(TAPE.length);
    expect(again.fills({ symbol: "ETH-USDT" })[0]).toMatchObject({
      orderId: "d",
      fee: "0",
      source: "poll",
    });
    expect(again.fills()[1]).toMatchObject({
      orderId: "b",
      fee: "0.202",
      source: "place-response",
    });
    expect(again.symbols()).toEqual(["BTC-USDT", "ETH-USDT"]);
  });

  it("filters fills by time and symbol", () => {
    const ledger = tracked(openLedger(freshPath()));
    ledger.recordFill(fill({ orderId: "early", time: 1000 }));
    ledger.recordFill(fill({ orderId: "late", time: 2000 }));
    ledger.recordFill(fill({ orderId: "other", symbol: "ETH-USDT", time: 3000 }));
    expect(ledger.fills({ since: 2000 }).map((row) => row.orderId)).toEqual(["late", "other"]);
    expect(
      ledger.fills({ since: 1000, symbol: "BTC-USDT", until: 2000 }).map((row) => row.orderId),
    ).toEqual(["early"]);
  });

  it("refuses a bad fill naming every bad field, and stores nothing", () => {
    const ledger = tracked(openLedger(freshPath()));
    expect(() =>
      ledger.recordFill(
        fill({
          orderId: "",
          side: "hold" as "buy",
          price: "1e3",
          quantity: "0",
          source: "guess" as "poll",
        }),
      ),
    ).toThrow(
      'refused fill: orderId="" must be a non-empty string; side="hold" must be buy or sell; price="1e3" must be a decimal string > 0; quantity="0" must be a decimal string > 0; source="guess" must be one of place-response, poll, cancel-found-gone',
    );
    expect(ledger.fills()).toEqual([]);
  });

  it("keeps a halt across restarts until resumed; a second halt keeps the first reason", () => {
    const path = freshPath();
    const ledger = openLedger(path);
    expect(ledger.halt("BTC-USDT", "loss 100 reached MAX_LOSS 100", 5000)).toEqual({
      symbol: "BTC-USDT",
      reason: "loss 100 reached MAX_LOSS 100",
      since: 5000,
    });
    ledger.halt("BTC-USDT", "later", 6000);
    ledger.close();
    const again = tracked(openLedger(path));
    expect(again.haltedSymbols()).toEqual([
      { symbol: "BTC-USDT", reason: "loss 100 reached MAX_LOSS 100", since: 5000 },
    ]);
    expect(again.resume("BTC-USDT")).toBe(true);
    expect(again.resume("BTC-USDT")).toBe(false);
    expect(again.halted("BTC-USDT")).toBeUndefined();
  });

  it("a process SIGKILLed right after acknowledged writes loses none of them", async () => {
    const path = freshPath();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/helpers/ledger-writer.ts", path, "100000"],
      {
        cwd: join(import.meta.dirname, ".."),
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let acknowledged = 0;
    let buffer = "";
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) acknowledged = Number(line.slice("ack ".length));
        if (acknowledged >= 200 && child.exitCode === null && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once("close", resolve));
    expect(existsSync(`${path}-wal`)).toBe(true);

    const again = tracked(openLedger(path));
    const count = again.fills().length;
    expect(count).toBeGreaterThanOrEqual(acknowledged);
    // And the rebuilt P&L is the replay of exactly what is stored.
    const btc = again.fills({ symbol: "BTC-USDT" }).reduce(applyFill, EMPTY_PNL);
    expect(again.pnl("BTC-USDT")).toEqual({ symbol: "BTC-USDT", ...btc });
  });

  it("a torn last write (the WAL cut mid-frame) loses nothing acknowledged before it", () => {
    const path = freshPath();
    const ledger = tracked(openLedger(path));
    for (const item of TAPE.slice(0, 4)) ledger.recordFill(item);
    const acknowledged = statSync(`${path}-wal`).size;
    const expected = ledger.pnl("BTC-USDT", "100");
    ledger.recordFill(TAPE[4]!);
    const withLast = statSync(`${path}-wal`).size;
    expect(withLast).toBeGreaterThan(acknowledged);

    // What a crash in the middle of the last write leaves: the database file and the
    // WAL with its last transaction cut in half (no shared-memory index, as after a reboot).
    const whole = freshPath();
    copyFileSync(path, whole);
    copyFileSync(`${path}-wal`, `${whole}-wal`);
    expect(tracked(openLedger(whole)).fills()).toHaveLength(5);

    const crashed = freshPath();
    copyFileSync(path, crashed);
    copyFileSync(`${path}-wal`, `${crashed}-wal`);
    truncateSync(`${crashed}-wal`, acknowledged + Math.floor((withLast - acknowledged) / 2));

    const recovered = tracked(openLedger(crashed));
    expect(recovered.fills().map((row) => row.orderId)).toEqual(["a", "b", "c", "d"]);
    expect(recovered.pnl("BTC-USDT", "100")).toEqual(expected);
  });

  it("opens read-only for the report and refuses writes there", () => {
    const path = freshPath();
    openLedger(path).close();
    const reader = tracked(openLedger(path, { readonly: true }));
    expect(() => reader.recordFill(fill({}))).toThrow(/read-only/);
    expect(() => openLedger(`${path}.missing`, { readonly: true })).toThrow(
      /cannot open the ledger/,
    );
  });
});
