import { expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { createRunnerControl, ParamsRejected } from "../../src/ops/index.ts";

function configs() {
  return resolveConfig({
    argv: [],
    env: { MARKET_SYMBOLS: "BTC-USDT,ETH-USDT" },
    cwd: "/tmp",
  }).config!.symbols;
}

it("fans out to every symbol, sums the counts, remembers changes for params()", async () => {
  const calls: string[] = [];
  const paused: string[] = [];
  const control = createRunnerControl({
    symbols: configs(),
    async pause(symbol) {
      calls.push(`pause ${symbol}`);
      return { cancelled: 3, alreadyGone: 1, failed: symbol === "ETH-USDT" ? ["o-9"] : [] };
    },
    async resume(symbol) {
      calls.push(`resume ${symbol}`);
    },
    async applyParams(symbol, values) {
      if (values.numLevels === 99 && symbol === "ETH-USDT") {
        throw new ParamsRejected(["ETH-USDT: too many levels for the book"]);
      }
      calls.push(`params ${symbol}`);
    },
    onPaused: (symbol, value) => paused.push(`${symbol}=${value}`),
  });
  expect(control.symbols()).toEqual(["BTC-USDT", "ETH-USDT"]);
  expect(await control.cancelAll()).toEqual({
    symbols: ["BTC-USDT", "ETH-USDT"],
    cancelled: 6,
    alreadyGone: 2,
    failed: ["o-9"],
  });
  expect(await control.resume("BTC-USDT")).toEqual({ symbols: ["BTC-USDT"] });
  expect(paused).toEqual(["BTC-USDT=true", "ETH-USDT=true", "BTC-USDT=false"]);

  const after = await control.updateParams("ETH-USDT", { baseSpreadPercent: "0.3" });
  expect(after[0]?.params.baseSpreadPercent).toMatchObject({ value: "0.3", origin: "control" });
  const all = await control.params();
  expect(all.find((s) => s.symbol === "BTC-USDT")?.params.baseSpreadPercent.origin).toBe("default");
  await expect(control.updateParams("ETH-USDT", { numLevels: 99 })).rejects.toThrow(ParamsRejected);
  const eth = (await control.params()).find((s) => s.symbol === "ETH-USDT")!;
  expect(eth.params.numLevels.origin).not.toBe("control");
  expect(calls).toEqual(["pause BTC-USDT", "pause ETH-USDT", "resume BTC-USDT", "params ETH-USDT"]);
});
