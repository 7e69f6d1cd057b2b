import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { checkLiveValues } from "../../src/control/live-params.ts";

it("configuration records which layer gave each value: flag, env, file (top or per symbol), default", () => {
  const dir = tempDir("mm-sources-");
  const file = join(dir, "mm.yaml");
  writeFileSync(
    file,
    'orderSize: "0.02"\npriceStepPercent: "0.07"\nsymbols:\n  ETH-USDT:\n    orderSize: "0.5"\n',
  );
  const resolved = resolveConfig({
    argv: ["--num-levels", "4", "--config", file],
    env: { PRICE_STEP_PERCENT: "0.06", MARKET_SYMBOLS: "BTC-USDT,ETH-USDT" },
    cwd: dir,
  });
  expect(resolved.problems).toEqual([]);
  expect(resolved.configFile).toBe(file);
  const [btc, eth] = resolved.config!.symbols;
  expect(btc!.sources).toMatchObject({
    numLevels: "flag",
    priceStepPercent: "env",
    orderSize: "file",
    baseSpreadPercent: "default",
  });
  expect(eth!.sources.orderSize).toBe("file");
  expect(eth!.origins.orderSize).toBe(`${file}: symbols.ETH-USDT.orderSize`);
  expect(eth!.orderSize).toBe("0.5");
});

it("live values are checked by configuration's schemas; a setting that cannot change live is named", () => {
  expect(checkLiveValues({ numLevels: "5", baseSpreadPercent: 0.2 })).toEqual({
    values: { numLevels: 5, baseSpreadPercent: "0.2" },
    problems: [],
  });
  const { problems } = checkLiveValues({ numLevels: 101, book: "X", minRequoteIntervalMs: "-1" });
  expect(problems.map((each) => each.field)).toEqual(["numLevels", "book", "minRequoteIntervalMs"]);
  expect(problems[0]).toEqual({ field: "numLevels", value: 101, message: "must be at most 100" });
  expect(checkLiveValues({}).problems[0]?.message).toMatch(/names no setting to change/);
});
