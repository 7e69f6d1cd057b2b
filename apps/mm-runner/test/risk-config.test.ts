import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeProblem } from "../src/config/raw.ts";
import { resolveConfig } from "../src/config/resolve.ts";

const cwd = mkdtempSync(join(tmpdir(), "mm-risk-config-"));
const resolve = (env: Record<string, string> = {}, argv: string[] = []) =>
  resolveConfig({ argv, env, cwd });
const messages = (env: Record<string, string> = {}, argv: string[] = []) =>
  resolve(env, argv).problems.map(describeProblem);

describe("risk settings", () => {
  it("default to no limit, no skew, no fee, no kill switch, no resume", () => {
    const { config, problems } = resolve();
    expect(problems).toEqual([]);
    expect(config?.resume).toBe(false);
    const symbol = config?.symbols[0];
    expect(symbol?.inventorySkewPercent).toBe("0");
    expect(symbol?.makerFeeBps).toBe("0");
    expect(symbol).not.toHaveProperty("maxPosition");
    expect(symbol).not.toHaveProperty("maxLoss");
    expect(symbol).not.toHaveProperty("maxDrawdown");
  });

  it("are read from the environment, flags and per symbol from the file, as decimal strings", () => {
    const file = join(cwd, "risk.yaml");
    writeFileSync(
      file,
      "marketSymbols: BTC-USDT,ETH-USDT\nmaxPosition: 0.5\nsymbols:\n  ETH-USDT:\n    maxPosition: 8.0\n    maxLoss: 250\n",
    );
    const { config, problems } = resolve(
      { MM_CONFIG: file, INVENTORY_SKEW_PERCENT: "0.2", MAKER_FEE_BPS: "1.5", RESUME: "1" },
      ["--max-drawdown", "100.25"],
    );
    expect(problems).toEqual([]);
    expect(config?.resume).toBe(true);
    expect(config?.symbols[0]).toMatchObject({
      symbol: "BTC-USDT",
      maxPosition: "0.5",
      inventorySkewPercent: "0.2",
      makerFeeBps: "1.5",
      maxDrawdown: "100.25",
    });
    expect(config?.symbols[0]).not.toHaveProperty("maxLoss");
    expect(config?.symbols[1]).toMatchObject({
      symbol: "ETH-USDT",
      maxPosition: "8.0",
      maxLoss: "250",
    });
  });

  it("names every bad field and its value", () => {
    expect(
      messages({
        MAX_POSITION: "0",
        INVENTORY_SKEW_PERCENT: "-1",
        MAKER_FEE_BPS: "1e2",
        MAX_LOSS: "lots",
        MAX_DRAWDOWN: "-5",
        RESUME: "maybe",
      }),
    ).toEqual([
      'MAX_POSITION="0": must be greater than 0',
      'INVENTORY_SKEW_PERCENT="-1": must not be negative',
      'MAKER_FEE_BPS="1e2": must be a plain decimal number like 0.1 (no exponent, no unit)',
      'MAX_LOSS="lots": must be a plain decimal number like 0.1 (no exponent, no unit)',
      'MAX_DRAWDOWN="-5": must be greater than 0',
      'RESUME="maybe": must be true or false',
    ]);
  });

  it("refuses a skew without a position limit, and one of 100% or more", () => {
    expect(messages({ INVENTORY_SKEW_PERCENT: "0.2" })).toEqual([
      'INVENTORY_SKEW_PERCENT="0.2": needs MAX_POSITION (the skew is a share of the position limit)',
    ]);
    expect(messages({ INVENTORY_SKEW_PERCENT: "100", MAX_POSITION: "1" })).toEqual([
      'INVENTORY_SKEW_PERCENT="100": must be below 100 (the centre would reach 0 at the limit)',
    ]);
    expect(messages({ INVENTORY_SKEW_PERCENT: "0", MAX_POSITION: "1" })).toEqual([]);
  });
});
