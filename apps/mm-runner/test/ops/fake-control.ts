import {
  LIVE_PARAM_KEYS,
  type LiveParamKey,
  type LiveParams,
  type ParamInEffect,
  ParamsRejected,
  type PauseResult,
  type RunnerControl,
  type SymbolParams,
} from "../../src/control/index.ts";

const DEFAULTS: Record<LiveParamKey, ParamInEffect> = {
  baseSpreadPercent: { value: "0.1", origin: "default", name: "BASE_SPREAD_PERCENT (default)" },
  priceStepPercent: { value: "0.05", origin: "env", name: "PRICE_STEP_PERCENT" },
  numLevels: { value: 2, origin: "flag", name: "--num-levels" },
  orderSize: { value: "0.010", origin: "file", name: "mm.yaml: orderSize" },
  orderSizeStep: { value: null, origin: "default", name: "ORDER_SIZE_STEP (default)" },
  orderSizeMultiplier: { value: null, origin: "default", name: "ORDER_SIZE_MULTIPLIER (default)" },
  asGamma: { value: "0.1", origin: "default", name: "AS_GAMMA (default)" },
  asKappa: { value: "1.5", origin: "default", name: "AS_KAPPA (default)" },
  asHorizonSeconds: { value: null, origin: "default", name: "AS_HORIZON_SECONDS (default)" },
  volatilityWindowSeconds: {
    value: "60",
    origin: "default",
    name: "VOLATILITY_WINDOW_SECONDS (default)",
  },
  refreshTolerancePercent: {
    value: "0.02",
    origin: "default",
    name: "REFRESH_TOLERANCE_PERCENT (default)",
  },
  minRequoteIntervalMs: {
    value: 100,
    origin: "default",
    name: "MIN_REQUOTE_INTERVAL_MS (default)",
  },
  maxPosition: { value: "0.05", origin: "env", name: "MAX_POSITION" },
  inventorySkewPercent: { value: "0", origin: "default", name: "INVENTORY_SKEW_PERCENT (default)" },
  makerFeeBps: { value: "0", origin: "default", name: "MAKER_FEE_BPS (default)" },
  maxLoss: { value: null, origin: "default", name: "MAX_LOSS (default)" },
  maxDrawdown: { value: null, origin: "default", name: "MAX_DRAWDOWN (default)" },
};

/** A RunnerControl that records what it was asked, with symbols that pause and resume. */
export function fakeControl(symbols: readonly string[]) {
  const paused = new Set<string>();
  const params = new Map<string, Record<LiveParamKey, ParamInEffect>>(
    symbols.map((symbol) => [symbol, { ...DEFAULTS }]),
  );
  const calls: string[] = [];
  let reject: readonly string[] | undefined;
  const pick = (symbol: string | undefined) => (symbol === undefined ? [...symbols] : [symbol]);
  const cancel = (names: readonly string[]): PauseResult => {
    for (const name of names) paused.add(name);
    return { symbols: names, cancelled: names.length * 4, alreadyGone: 0, failed: [] };
  };
  const snapshot = (): SymbolParams[] =>
    [...params].map(([symbol, each]) => ({ symbol, params: { ...each } }));

  const control: RunnerControl = {
    symbols: () => symbols,
    async pause(symbol) {
      calls.push(`pause ${symbol ?? "*"}`);
      return cancel(pick(symbol));
    },
    async resume(symbol) {
      calls.push(`resume ${symbol ?? "*"}`);
      for (const name of pick(symbol)) paused.delete(name);
      return { symbols: pick(symbol) };
    },
    async cancelAll() {
      calls.push("cancel-all");
      return cancel(symbols);
    },
    params: snapshot,
    async updateParams(symbol, values: LiveParams) {
      calls.push(`params ${symbol ?? "*"} ${JSON.stringify(values)}`);
      if (reject !== undefined) throw new ParamsRejected(reject);
      for (const name of pick(symbol)) {
        const each = params.get(name)!;
        for (const key of LIVE_PARAM_KEYS) {
          const value = values[key];
          if (value !== undefined) {
            each[key] = { value, origin: "control", name: "PATCH /control/params" };
          }
        }
      }
      return snapshot().filter((each) => pick(symbol).includes(each.symbol));
    },
  };
  return {
    control,
    calls,
    paused,
    params: snapshot,
    rejectNext(problems: readonly string[] | undefined) {
      reject = problems;
    },
  };
}
