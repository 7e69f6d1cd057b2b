import { type ConfigProblem, configErrorOf, describeValue } from "../config-error.ts";
import { type Decimal, formatDecimal, normalize, sign } from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import {
  type LadderConfig,
  type LadderParams,
  ladderParamsProblems,
  parseLadderParams,
} from "../ladder.ts";
import { describeSizes } from "../order-sizes.ts";
import type { StrategyParams } from "../strategies/types.ts";
import type { QuoteParams, QuoteParamsInput } from "./shared-types.ts";

/** The quoting parameters in force, validated and exact. */
export interface ParsedQuoteParams {
  readonly ladder: LadderConfig;
  readonly refreshTolerancePercent: Decimal;
  readonly minRequoteIntervalMs: number;
  /** The strategies' model settings (Avellaneda–Stoikov's, the price window). */
  readonly strategy: StrategyParams;
}

export interface QuoteParamsSource {
  readonly ladder: LadderParams;
  readonly refreshTolerancePercent?: DecimalInput;
  readonly minRequoteIntervalMs?: number;
  /** AS_GAMMA, > 0. Default "0.1". */
  readonly asGamma?: DecimalInput;
  /** AS_KAPPA, > 0. Default "1.5". */
  readonly asKappa?: DecimalInput;
  /** AS_HORIZON_SECONDS in ms, a whole number > 0. Default: infinite horizon. */
  readonly asHorizonMs?: number;
  /** VOLATILITY_WINDOW_SECONDS in ms, a whole number > 0. Default 60 000. */
  readonly volatilityWindowMs?: number;
}

const DEFAULT_MIN_REQUOTE_INTERVAL_MS = 100;
const DEFAULT_AS_GAMMA = "0.1";
const DEFAULT_AS_KAPPA = "1.5";
const DEFAULT_VOLATILITY_WINDOW_MS = 60_000;
const LADDER_KEYS = [
  "levels",
  "baseSpreadPercent",
  "priceStepPercent",
  "orderSize",
  "orderSizeStep",
  "orderSizeMultiplier",
] as const;
/** Keys a patch may set to `null` to remove (back to their unset meaning). */
const REMOVABLE = new Set<string>(["orderSizeStep", "orderSizeMultiplier", "asHorizonMs"]);
const CHANGEABLE = new Set<string>([
  ...LADDER_KEYS,
  "refreshTolerancePercent",
  "minRequoteIntervalMs",
  "asGamma",
  "asKappa",
  "asHorizonMs",
  "volatilityWindowMs",
]);

/** Every problem of these parameters; empty when they are valid. */
export function quoteParamsProblems(source: QuoteParamsSource): readonly ConfigProblem[] {
  const problems: ConfigProblem[] = [...ladderParamsProblems(source.ladder)];
  const tolerance = source.refreshTolerancePercent ?? "0";
  try {
    if (sign(readDecimal("refreshTolerancePercent", tolerance)) < 0) {
      problems.push({
        field: "refreshTolerancePercent",
        value: tolerance,
        message: `refreshTolerancePercent must be >= 0, got ${describeValue(tolerance)}`,
      });
    }
  } catch (error) {
    problems.push({
      field: "refreshTolerancePercent",
      value: tolerance,
      message: (error as Error).message,
    });
  }
  const interval = source.minRequoteIntervalMs;
  if (
    interval !== undefined &&
    (typeof interval !== "number" || !Number.isSafeInteger(interval) || interval < 0)
  ) {
    problems.push({
      field: "minRequoteIntervalMs",
      value: interval,
      message: `minRequoteIntervalMs must be a whole number >= 0, got ${describeValue(interval)}`,
    });
  }
  for (const field of ["asGamma", "asKappa"] as const) {
    const value = source[field];
    if (value === undefined) continue;
    try {
      if (sign(readDecimal(field, value)) <= 0) {
        problems.push({
          field,
          value,
          message: `${field} must be > 0, got ${describeValue(value)}`,
        });
      }
    } catch (error) {
      problems.push({ field, value, message: (error as Error).message });
    }
  }
  for (const field of ["asHorizonMs", "volatilityWindowMs"] as const) {
    const value = source[field];
    if (
      value !== undefined &&
      (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    ) {
      problems.push({
        field,
        value,
        message: `${field} must be a whole number > 0, got ${describeValue(value)}`,
      });
    }
  }
  return problems;
}

/** Validates the quoting parameters; a `ConfigError` naming every problem otherwise. */
export function parseQuoteParams(source: QuoteParamsSource): ParsedQuoteParams {
  const problems = quoteParamsProblems(source);
  if (problems.length > 0) throw configErrorOf(problems);
  return {
    ladder: parseLadderParams(source.ladder),
    refreshTolerancePercent: readDecimal(
      "refreshTolerancePercent",
      source.refreshTolerancePercent ?? "0",
    ),
    minRequoteIntervalMs: source.minRequoteIntervalMs ?? DEFAULT_MIN_REQUOTE_INTERVAL_MS,
    strategy: {
      asGamma: readDecimal("asGamma", source.asGamma ?? DEFAULT_AS_GAMMA),
      asKappa: readDecimal("asKappa", source.asKappa ?? DEFAULT_AS_KAPPA),
      ...(source.asHorizonMs === undefined ? {} : { asHorizonMs: source.asHorizonMs }),
      volatilityWindowMs: source.volatilityWindowMs ?? DEFAULT_VOLATILITY_WINDOW_MS,
    },
  };
}

/**
 * The parameters after an operator's change, validated exactly as at creation. Throws a
 * `ConfigError` listing every problem (unknown keys included); `current` is never touched.
 */
export function applyQuoteParams(
  current: ParsedQuoteParams,
  patch: Partial<QuoteParamsInput>,
): ParsedQuoteParams {
  const unknown: ConfigProblem[] =
    patch === null || typeof patch !== "object"
      ? [
          {
            field: "params",
            value: patch,
            message: `params must be an object, got ${describeValue(patch)}`,
          },
        ]
      : Object.keys(patch)
          .filter((key) => !CHANGEABLE.has(key))
          .map((key) => ({
            field: key,
            value: (patch as Record<string, unknown>)[key],
            message: `${key} cannot be changed while running (only ${[...CHANGEABLE].join(", ")})`,
          }));
  const given = unknown.length > 0 && (patch === null || typeof patch !== "object") ? {} : patch;
  const nulls: ConfigProblem[] = Object.entries(given)
    .filter(([key, value]) => value === null && !REMOVABLE.has(key))
    .map(([key, value]) => ({
      field: key,
      value,
      message: `${key} cannot be removed (null); only ${[...REMOVABLE].join(", ")} can`,
    }));
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<QuoteParamsInput>;
  const removed = new Set(
    Object.entries(given)
      .filter(([key, value]) => value === null && REMOVABLE.has(key))
      .map(([key]) => key),
  );
  const { sizes: _sizes, ...ladderNow } = current.ladder;
  const ladder: Record<string, unknown> = { ...ladderNow, ...pick(defined, LADDER_KEYS) };
  for (const key of removed) delete ladder[key];
  const strategy = current.strategy;
  const horizon = removed.has("asHorizonMs")
    ? undefined
    : (defined.asHorizonMs ?? strategy.asHorizonMs);
  const source: QuoteParamsSource = {
    ladder: ladder as unknown as LadderParams,
    refreshTolerancePercent: defined.refreshTolerancePercent ?? current.refreshTolerancePercent,
    minRequoteIntervalMs: defined.minRequoteIntervalMs ?? current.minRequoteIntervalMs,
    asGamma: defined.asGamma ?? strategy.asGamma,
    asKappa: defined.asKappa ?? strategy.asKappa,
    ...(horizon === undefined ? {} : { asHorizonMs: horizon }),
    volatilityWindowMs: defined.volatilityWindowMs ?? strategy.volatilityWindowMs,
  };
  const problems = [...unknown, ...nulls, ...quoteParamsProblems(source)];
  if (problems.length > 0) throw configErrorOf(problems);
  return parseQuoteParams(source);
}

/** What `params()` shows: the values in effect, decimals in their shortest form. */
export function describeQuoteParams(params: ParsedQuoteParams): QuoteParams {
  const text = (value: Decimal) => formatDecimal(normalize(value));
  const { ladder, strategy } = params;
  return {
    levels: ladder.levels,
    baseSpreadPercent: text(ladder.baseSpreadPercent),
    priceStepPercent: text(ladder.priceStepPercent),
    orderSize: describeSizes(ladder.orderSize),
    ...(ladder.orderSizeStep === undefined ? {} : { orderSizeStep: text(ladder.orderSizeStep) }),
    ...(ladder.orderSizeMultiplier === undefined
      ? {}
      : { orderSizeMultiplier: text(ladder.orderSizeMultiplier) }),
    sizes: ladder.sizes.map(text),
    refreshTolerancePercent: text(params.refreshTolerancePercent),
    minRequoteIntervalMs: params.minRequoteIntervalMs,
    asGamma: text(strategy.asGamma),
    asKappa: text(strategy.asKappa),
    ...(strategy.asHorizonMs === undefined ? {} : { asHorizonMs: strategy.asHorizonMs }),
    volatilityWindowMs: strategy.volatilityWindowMs,
  };
}

function pick<T extends object, K extends keyof T>(
  from: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}
