import type { SymbolConfig } from "../../config/types.ts";
import {
  LIVE_PARAM_KEYS,
  type LiveParamKey,
  type LiveParams,
  originOf,
  type ParamInEffect,
  type SymbolParams,
} from "./runner-control.ts";

/** The name a value changed through the API goes by in `GET /control/params`. */
export const CONTROL_ORIGIN_NAME = "PATCH /control/params";

/**
 * What is in effect for one symbol: its configuration, with the changes made through the
 * control API since the start on top. For the runner's `RunnerControl.params()` and for
 * its start log line ("which values are in effect and why").
 */
export function paramsInEffect(config: SymbolConfig, changed: LiveParams = {}): SymbolParams {
  const params = {} as Record<LiveParamKey, ParamInEffect>;
  for (const key of LIVE_PARAM_KEYS) {
    const live = changed[key];
    if (live !== undefined) {
      params[key] = { value: live, origin: "control", name: CONTROL_ORIGIN_NAME };
      continue;
    }
    const name = config.origins[key] ?? `${key} (default)`;
    params[key] = { value: config[key], origin: originOf(name), name };
  }
  return { symbol: config.symbol, params };
}

/** One line per symbol for the start log: `baseSpreadPercent=0.1 (default), numLevels=5 (--num-levels), ...`. */
export function describeParams(params: SymbolParams): string {
  return LIVE_PARAM_KEYS.map((key) => {
    const each = params.params[key];
    return `${key}=${each.value} (${each.name})`;
  }).join(", ");
}
