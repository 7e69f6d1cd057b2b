import { describeProblem, type Problem } from "../../config/raw.ts";
import { checkSetting } from "../../config/resolve.ts";
import { SETTING } from "../../config/settings.ts";
import { checkLiveValue, isLiveKey, LIVE_PARAM_KEYS, type LiveParams } from "../live-params.ts";
import { clipProblem } from "./clip.ts";

export type ParamsRequest =
  | { readonly ok: true; readonly symbol?: string; readonly values: LiveParams }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * A `PATCH /control/params` body, checked by configuration's own schemas so the messages
 * are the ones the config file and the environment get. Every problem is listed. `symbol`
 * is required: one symbol, or `"*"` for all of them.
 */
export function parseParamsRequest(body: unknown): ParamsRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      problems: ['body: must be a JSON object like {"baseSpreadPercent": "0.2"}'],
    };
  }
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  let symbol: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === "symbol") {
      if (value === ALL_SYMBOLS) continue;
      const checked = checkSetting(SYMBOL_SETTING, { value, name: "symbol" }, problems);
      if (checked !== undefined) symbol = checked.value as string;
      continue;
    }
    if (!isLiveKey(key)) {
      problems.push({
        name: key,
        value,
        message: `cannot be changed while running (these can: ${LIVE_PARAM_KEYS.join(", ")})`,
      });
      continue;
    }
    const checked = checkLiveValue(key, value, problems);
    if (checked !== undefined) values[key] = checked.value;
  }
  if (problems.length === 0 && Object.keys(values).length === 0) {
    problems.push({
      name: "body",
      message: `names no parameter to change (these can: ${LIVE_PARAM_KEYS.join(", ")})`,
    });
  }
  if (!("symbol" in body)) {
    // A change to every symbol must be meant: a body that forgot its symbol is refused.
    problems.push({
      name: "symbol",
      message: `is required: the symbol to change, or "${ALL_SYMBOLS}" for every symbol`,
    });
  }
  if (problems.length > 0)
    return {
      ok: false,
      problems: problems.map((problem) => describeProblem(clipProblem(problem))),
    };
  return { ok: true, ...(symbol === undefined ? {} : { symbol }), values: values as LiveParams };
}

/** `"symbol": "*"`: every symbol the runner quotes. */
export const ALL_SYMBOLS = "*";

/** A `{"symbol": ...}` (`"*"`: every symbol) or `{}` body of pause and resume. */
export function parseSymbolRequest(
  body: unknown,
): { ok: true; symbol?: string } | { ok: false; problems: readonly string[] } {
  if (body === undefined) return { ok: true };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be {} or {"symbol": "BTC-USDT"}'] };
  }
  const problems: Problem[] = [];
  let symbol: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key !== "symbol") {
      problems.push({ name: key, value, message: 'unknown field (only "symbol")' });
      continue;
    }
    if (value === ALL_SYMBOLS) continue;
    const checked = checkSetting(SYMBOL_SETTING, { value, name: "symbol" }, problems);
    if (checked !== undefined) symbol = checked.value as string;
  }
  if (problems.length > 0)
    return {
      ok: false,
      problems: problems.map((problem) => describeProblem(clipProblem(problem))),
    };
  return symbol === undefined ? { ok: true } : { ok: true, symbol };
}

const SYMBOL_SETTING = SETTING.marketSymbol;
