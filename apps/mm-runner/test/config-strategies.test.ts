import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLadderAtPrice } from "../src/config/ladder-check.ts";
import { describeProblem } from "../src/config/raw.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { strategyOptionsOf } from "../src/config/strategy-check.ts";
import { checkLiveValues, toCoreParams } from "../src/control/live-params.ts";

const cwd = mkdtempSync(join(tmpdir(), "mm-config-strategies-"));
const resolve = (env: Record<string, string> = {}, argv: string[] = []) =>
  resolveConfig({ argv, env, cwd });
const messages = (env: Record<string, string> = {}, argv: string[] = []) =>
  resolve(env, argv).problems.map(describeProblem).join("\n");

describe("sizes per level: settings", () => {
  it("ORDER_SIZE takes one size or one per level, from env, flags and the file", () => {
    expect(resolve({ ORDER_SIZE: "0.01, 0.02,0.04" }).config?.symbols[0]?.orderSize).toBe(
      "0.01,0.02,0.04",
    );
    expect(
      resolve({}, ["--order-size", "0.01", "--order-size-step", "0.005"]).config?.symbols[0],
    ).toMatchObject({ orderSize: "0.01", orderSizeStep: "0.005" });
    const file = join(cwd, "sizes.yaml");
    writeFileSync(
      file,
      "numLevels: 2\nsymbols:\n  ETH-USDT:\n    orderSize: [0.10, 0.25]\n  BTC-USDT:\n    orderSizeMultiplier: 1.5\n",
    );
    const { config, problems } = resolve({ MM_CONFIG: file });
    expect(problems).toEqual([]);
    const bySymbol = Object.fromEntries(config!.symbols.map((s) => [s.symbol, s]));
    expect(bySymbol["ETH-USDT"]?.orderSize).toBe("0.10,0.25");
    expect(bySymbol["BTC-USDT"]).toMatchObject({ orderSize: "0.01", orderSizeMultiplier: "1.5" });
  });

  it("refuses two forms at once, a list of the wrong length, sizes off the lot step", () => {
    expect(messages({ ORDER_SIZE_STEP: "0.01", ORDER_SIZE_MULTIPLIER: "2" })).toContain(
      'ORDER_SIZE_STEP="0.01": orderSizeStep and orderSizeMultiplier cannot both be set',
    );
    expect(messages({ ORDER_SIZE: "0.01,0.02,0.03", ORDER_SIZE_MULTIPLIER: "2" })).toContain(
      "cannot be set with a list of sizes",
    );
    expect(messages({ ORDER_SIZE: "0.01,0.02" })).toContain(
      'ORDER_SIZE="0.01,0.02": orderSize lists 2 sizes but there are 3 levels a side',
    );
    expect(messages({ ORDER_SIZE: "0.01,0.0205,0.03" })).toContain(
      "holds 0.0205, not a multiple of the lot step QTY_STEP (default)=0.001",
    );
    expect(messages({ ORDER_SIZE: "0.01,-1,0.03" })).toContain(
      'ORDER_SIZE="0.01,-1,0.03": must be greater than 0',
    );
    expect(messages({ ORDER_SIZE: "0.002", ORDER_SIZE_MULTIPLIER: "0.1" })).toContain(
      "makes level 2's size 0.0002, which quantizes to 0",
    );
  });

  it("refuses a level the venue could not hold (int64 thousandths)", () => {
    expect(
      messages({ ORDER_SIZE: "1000", ORDER_SIZE_MULTIPLIER: "1000", NUM_LEVELS: "6" }),
    ).toContain("more than the venue can hold (9223372036854775.807)");
  });

  it("the first-price check sees the sizes too", () => {
    const config = resolve({ ORDER_SIZE: "0.01,0.02,0.04" }).config!.symbols[0]!;
    expect(checkLadderAtPrice(config, "50000")).toEqual([]);
  });
});

describe("the strategy: settings", () => {
  it("defaults to the seed's layered ladder, Avellaneda–Stoikov's settings at their defaults", () => {
    const symbol = resolve().config!.symbols[0]!;
    expect(symbol).toMatchObject({
      strategy: "layered",
      asGamma: "0.1",
      asKappa: "1.5",
      volatilityWindowSeconds: "60",
    });
    expect(symbol.asHorizonSeconds).toBeUndefined();
    expect(strategyOptionsOf(symbol)).toEqual({
      strategy: "layered",
      asGamma: "0.1",
      asKappa: "1.5",
      volatilityWindowMs: 60_000,
    });
  });

  it("takes avellaneda-stoikov and its parameters from env and flags", () => {
    const symbol = resolve(
      { STRATEGY: "Avellaneda-Stoikov", AS_GAMMA: "0.5", AS_HORIZON_SECONDS: "300" },
      ["--as-kappa", "2", "--volatility-window-seconds", "30"],
    ).config!.symbols[0]!;
    expect(strategyOptionsOf(symbol)).toEqual({
      strategy: "avellaneda-stoikov",
      asGamma: "0.5",
      asKappa: "2",
      asHorizonMs: 300_000,
      volatilityWindowMs: 30_000,
    });
  });

  it("refuses a bad strategy and bad parameters, every one named", () => {
    const text = messages({
      STRATEGY: "martingale",
      AS_GAMMA: "0",
      AS_KAPPA: "-1",
      AS_HORIZON_SECONDS: "0.5",
      VOLATILITY_WINDOW_SECONDS: "100000",
    });
    expect(text).toContain('STRATEGY="martingale": must be layered or avellaneda-stoikov');
    expect(text).toContain('AS_GAMMA="0": must be greater than 0');
    expect(text).toContain('AS_KAPPA="-1": must be greater than 0');
    expect(text).toContain('AS_HORIZON_SECONDS="0.5": must be from 1 to 604800 seconds');
    expect(text).toContain('VOLATILITY_WINDOW_SECONDS="100000": must be from 1 to 86400 seconds');
  });
});

describe("live changes", () => {
  it("sizes and the model's parameters change live; the strategy itself needs a restart", () => {
    const { values, problems } = checkLiveValues({
      orderSize: "0.01,0.02,0.03",
      orderSizeStep: null,
      asGamma: "0.3",
      asHorizonSeconds: "120",
      volatilityWindowSeconds: "15",
    });
    expect(problems).toEqual([]);
    expect(toCoreParams(values)).toEqual({
      orderSize: "0.01,0.02,0.03",
      orderSizeStep: null,
      asGamma: "0.3",
      asHorizonMs: 120_000,
      volatilityWindowMs: 15_000,
    });
    expect(toCoreParams({ asHorizonSeconds: null })).toEqual({ asHorizonMs: null });
    const refused = checkLiveValues({ strategy: "avellaneda-stoikov", asKappa: "0" });
    expect(refused.problems.map((p) => p.field).sort()).toEqual(["asKappa", "strategy"]);
    expect(refused.problems.find((p) => p.field === "strategy")?.message).toContain(
      "needs a restart",
    );
  });
});
