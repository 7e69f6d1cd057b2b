import type { QuoteParamsInput, RiskPatch } from "@matchingo-mm/core";
import { crossCheck } from "../config/cross-check.ts";
import { checkLadderAtPrice } from "../config/ladder-check.ts";
import type { Problem } from "../config/raw.ts";
import { checkSetting, type Valued } from "../config/resolve.ts";
import { SETTINGS_BY_KEY } from "../config/settings.ts";
import { secondsToMs } from "../config/strategy-check.ts";
import type { SymbolConfig, ValueSource } from "../config/types.ts";
import type { FieldProblem } from "./errors.ts";

/** Quoting settings an operator may change while the runner quotes (core's `updateParams`). */
const QUOTE_KEYS = [
  "baseSpreadPercent",
  "priceStepPercent",
  "numLevels",
  "orderSize",
  "orderSizeStep",
  "orderSizeMultiplier",
  "refreshTolerancePercent",
  "minRequoteIntervalMs",
  "asGamma",
  "asKappa",
  "asHorizonSeconds",
  "volatilityWindowSeconds",
] as const;
type QuoteKey = (typeof QUOTE_KEYS)[number];

/** Risk settings an operator may change while the runner quotes (core's `updateRisk`). */
export const RISK_KEYS = [
  "maxPosition",
  "inventorySkewPercent",
  "makerFeeBps",
  "maxLoss",
  "maxDrawdown",
] as const;
type RiskKey = (typeof RISK_KEYS)[number];

/** Settings an operator may change while the runner quotes (config keys). */
export const LIVE_PARAM_KEYS = [...QUOTE_KEYS, ...RISK_KEYS] as const;
export type LiveParamKey = (typeof LIVE_PARAM_KEYS)[number];

/** Validated values, as configuration resolves them (decimal strings, whole numbers). */
export interface LiveParams {
  readonly baseSpreadPercent?: string;
  readonly priceStepPercent?: string;
  readonly numLevels?: number;
  /** One size or one per level, `0.01,0.02,0.04`. */
  readonly orderSize?: string;
  /** `null`: not this form (removes one in effect). */
  readonly orderSizeStep?: string | null;
  /** `null`: not this form. */
  readonly orderSizeMultiplier?: string | null;
  readonly refreshTolerancePercent?: string;
  readonly minRequoteIntervalMs?: number;
  readonly asGamma?: string;
  readonly asKappa?: string;
  /** Seconds; `null`: infinite horizon. */
  readonly asHorizonSeconds?: string | null;
  readonly volatilityWindowSeconds?: string;
  /** `null`: no limit (removes one in effect). */
  readonly maxPosition?: string | null;
  readonly inventorySkewPercent?: string;
  readonly makerFeeBps?: string;
  /** `null`: no limit. */
  readonly maxLoss?: string | null;
  /** `null`: no limit. */
  readonly maxDrawdown?: string | null;
}

/** A live value and where it came from; `null`: a limit not set. */
export interface LiveValue {
  readonly value: string | number | null;
  readonly source: ValueSource;
  /** As configuration names it: `NUM_LEVELS (default)`, `--num-levels`, `mm.yaml: numLevels`, `PATCH /control/params`. */
  readonly name: string;
}

/** Core's name of each live setting (`numLevels` is core's `levels`). */
const CORE_FIELD: Record<QuoteKey, keyof QuoteParamsInput> = {
  baseSpreadPercent: "baseSpreadPercent",
  priceStepPercent: "priceStepPercent",
  numLevels: "levels",
  orderSize: "orderSize",
  orderSizeStep: "orderSizeStep",
  orderSizeMultiplier: "orderSizeMultiplier",
  refreshTolerancePercent: "refreshTolerancePercent",
  minRequoteIntervalMs: "minRequoteIntervalMs",
  asGamma: "asGamma",
  asKappa: "asKappa",
  asHorizonSeconds: "asHorizonMs",
  volatilityWindowSeconds: "volatilityWindowMs",
};

/** Settings given in seconds that core takes in ms. */
const IN_SECONDS = new Set<QuoteKey>(["asHorizonSeconds", "volatilityWindowSeconds"]);

export const isLiveKey = (key: string): key is LiveParamKey =>
  (LIVE_PARAM_KEYS as readonly string[]).includes(key);

/** The values as core's `updateParams` takes them. */
export function toCoreParams(values: LiveParams): Partial<QuoteParamsInput> {
  const out: Record<string, unknown> = {};
  for (const key of QUOTE_KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    out[CORE_FIELD[key]] =
      IN_SECONDS.has(key) && typeof value === "string" ? secondsToMs(value) : value;
  }
  return out as Partial<QuoteParamsInput>;
}

/** The values as core's `updateRisk` takes them (`null` removes a limit). */
export function toCoreRisk(values: LiveParams): RiskPatch {
  const out: Record<string, string | null> = {};
  for (const key of RISK_KEYS) {
    const value = values[key as RiskKey];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A core field name (`levels`) as the setting it is (`numLevels`); risk fields are named alike. */
export function settingOfCoreField(field: string): string {
  return QUOTE_KEYS.find((key) => CORE_FIELD[key] === field) ?? field;
}

/**
 * One value of a live setting, checked by its setting's schema as configuration checks it;
 * `null` removes a limit (JSON has no "unset"), but a setting with a default cannot be
 * unset. Undefined (and a problem added) when it is refused.
 */
export function checkLiveValue(
  key: LiveParamKey,
  value: unknown,
  problems: Problem[],
): { readonly value: unknown } | undefined {
  const setting = SETTINGS_BY_KEY.get(key);
  if (setting === undefined) throw new Error(`live parameter ${key} is not a setting`);
  if (value !== null) return checkSetting(setting, { value, name: key }, problems);
  if (setting.default === undefined) return { value: null };
  problems.push({
    name: key,
    value,
    message: `cannot be removed (null); set it to a value (its default is ${setting.default})`,
  });
  return undefined;
}

/**
 * Checks each value against its setting's schema, exactly as configuration does (the same
 * messages). A setting that cannot change while running, or no setting at all, is a
 * problem too. Every problem is listed.
 */
export function checkLiveValues(values: Readonly<Record<string, unknown>>): {
  readonly values: LiveParams;
  readonly problems: readonly FieldProblem[];
} {
  const problems: Problem[] = [];
  const checked: Record<string, unknown> = {};
  if (values === null || typeof values !== "object" || Array.isArray(values)) {
    return {
      values: {},
      problems: [
        {
          field: "params",
          value: values,
          message: `must be an object like {"baseSpreadPercent": "0.2"}`,
        },
      ],
    };
  }
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const setting = SETTINGS_BY_KEY.get(key);
    if (setting === undefined) {
      problems.push({
        name: key,
        value,
        message: `unknown setting (these can change while running: ${LIVE_PARAM_KEYS.join(", ")})`,
      });
      continue;
    }
    if (!isLiveKey(key)) {
      problems.push({
        name: key,
        value,
        message: `cannot change while running; it needs a restart (these can: ${LIVE_PARAM_KEYS.join(", ")})`,
      });
      continue;
    }
    const valued = checkLiveValue(key, value, problems);
    if (valued !== undefined) checked[key] = valued.value;
  }
  if (problems.length === 0 && Object.keys(checked).length === 0) {
    problems.push({
      name: "params",
      message: `names no setting to change (these can: ${LIVE_PARAM_KEYS.join(", ")})`,
    });
  }
  return { values: checked as LiveParams, problems: problems.map(toFieldProblem) };
}

/**
 * The checks between settings and at the symbol's last price that configuration makes
 * (`crossCheck`, `checkLadderAtPrice`), on the symbol's values in effect with `values`
 * applied. Problems name the settings (`orderSize`), not where they were first given.
 */
export function checkLiveValuesFor(
  config: SymbolConfig,
  inEffect: Readonly<Record<LiveParamKey, LiveValue>>,
  values: LiveParams,
  lastPrice: string | undefined,
  cwd: string,
): FieldProblem[] {
  const effective: Record<string, unknown> = { ...config };
  // Every setting goes by its own key here, so a problem names exactly one setting: two
  // changed settings share the origin name `PATCH /control/params`, and mapping that name
  // back once named the wrong one (`orderSize=4`).
  const origins: Record<string, string> = { ...config.origins };
  const names = new Map<LiveParamKey | "priceTick" | "qtyStep", Valued>();
  for (const key of ["priceTick", "qtyStep"] as const) {
    origins[key] = key;
    names.set(key, { value: config[key], name: key, raw: config[key], source: "default" });
  }
  for (const key of LIVE_PARAM_KEYS) {
    const given = values[key];
    const value = given === undefined ? inEffect[key].value : given;
    origins[key] = key;
    if (value === null) {
      // A limit not set is absent from a resolved configuration.
      delete effective[key];
      continue;
    }
    effective[key] = value;
    names.set(key, { value, name: key, raw: value, source: inEffect[key].source });
  }
  const changed = new Set(
    Object.keys(values).filter((key) => values[key as LiveParamKey] !== undefined),
  );
  const candidate = { ...effective, origins } as unknown as SymbolConfig;
  const problems = [
    ...crossCheck({}, [{ config: candidate, names }], cwd),
    ...(lastPrice === undefined ? [] : checkLadderAtPrice(candidate, lastPrice, { changed })),
  ];
  return problems.map((problem) => ({ ...toFieldProblem(problem), symbol: config.symbol }));
}

function toFieldProblem(problem: Problem): FieldProblem {
  return {
    field: problem.name,
    ...(problem.value === undefined ? {} : { value: problem.value }),
    message: problem.message,
  };
}
