import pino from "pino";
import { expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import type { SymbolConfig } from "../../src/config/types.ts";
import { ParamsRejected } from "../../src/control/errors.ts";
import { createRunnerControl } from "../../src/control/runner-control.ts";
import type { Supervisor } from "../../src/supervisor.ts";

const BTC = "BTC-USDT";

/** The real control over a supervisor that accepts every change, at the last price 50000. */
function controlAt(env: Record<string, string> = {}) {
  const resolved = resolveConfig({
    argv: [],
    env: { MARKET_SYMBOL: BTC, METRICS_ADDR: "off", ...env },
    cwd: process.cwd(),
  });
  if (!resolved.config) throw new Error(JSON.stringify(resolved.problems));
  const config: SymbolConfig = resolved.config.symbols[0]!;
  const supervisor = {
    symbols: () => [BTC],
    config: () => config,
    lastPrice: () => "50000",
    updateParams: async (symbol: string) => [{ ok: true, symbol }],
  } as unknown as Supervisor;
  return createRunnerControl({ supervisor, logger: pino({ level: "silent" }) });
}

async function refusal(promise: Promise<unknown>): Promise<ParamsRejected> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParamsRejected);
  return error as ParamsRejected;
}

it("names the field that is wrong, with its value, after earlier changes (issue 22, defect 7)", async () => {
  const control = controlAt();
  await control.updateParams(BTC, { numLevels: 4 });
  await control.updateParams(BTC, { orderSize: "0.02" });
  const error = await refusal(control.updateParams(BTC, { priceStepPercent: "90" }));
  expect(error.fields.map((f) => [f.field, f.value])).toEqual([["priceStepPercent", "90"]]);
  expect(error.problems).toHaveLength(1);
  expect(error.problems[0]).toMatch(/^priceStepPercent="90": .*outermost bid at -/);
  expect(error.problems.join()).not.toContain("orderSize");
});

it("still names the levels when they are what was sent", async () => {
  const control = controlAt();
  await control.updateParams(BTC, { priceStepPercent: "30" });
  const error = await refusal(control.updateParams(BTC, { numLevels: 5 }));
  expect(error.fields.map((f) => [f.field, f.value])).toEqual([["numLevels", 5]]);
});

it("refuses an order size the venue cannot hold, naming the field and the limit (issue 22, defect 3)", async () => {
  const control = controlAt();
  const error = await refusal(control.updateParams(BTC, { orderSize: "9223372036854776" }));
  expect(error.fields.map((f) => [f.field, f.value])).toEqual([["orderSize", "9223372036854776"]]);
  expect(error.problems[0]).toContain(
    "is more than the venue can hold (at most 9223372036854775.807",
  );
  // Nothing was changed: the size in effect is still the configured one.
  expect(control.params()[0]!.params.orderSize.value).toBe("0.01");
});
