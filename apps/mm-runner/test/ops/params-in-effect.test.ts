import { expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { describeParams, paramsInEffect } from "../../src/ops/index.ts";

it("names where each value in effect came from: default, env, flag, file, control API", () => {
  const resolved = resolveConfig({
    argv: ["--num-levels", "3"],
    env: { BASE_SPREAD_PERCENT: "0.2", MARKET_SYMBOL: "ETH-USDT" },
    cwd: "/tmp",
  });
  const config = resolved.config!.symbols[0]!;
  const before = paramsInEffect(config);
  expect(before.symbol).toBe("ETH-USDT");
  expect(before.params.numLevels).toEqual({ value: 3, origin: "flag", name: "--num-levels" });
  expect(before.params.baseSpreadPercent).toMatchObject({ value: "0.2", origin: "env" });
  expect(before.params.orderSize.origin).toBe("default");
  const after = paramsInEffect(config, { orderSize: "0.5" });
  expect(after.params.orderSize).toEqual({
    value: "0.5",
    origin: "control",
    name: "PATCH /control/params",
  });
  expect(describeParams(before)).toMatch(/^baseSpreadPercent=0\.2 \(BASE_SPREAD_PERCENT\), /);
  expect(describeParams(before)).toContain("numLevels=3 (--num-levels)");
});
