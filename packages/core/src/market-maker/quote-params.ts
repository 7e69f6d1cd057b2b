import { type ConfigProblem, configErrorOf, describeValue } from "../config-error.ts";
import { type Decimal, formatDecimal, normalize, sign } from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import {
  type LadderConfig,
  type LadderParams,
  ladderParamsProblems,
  parseLadderParams,
} from "../ladder.ts";
import type { QuoteParams, QuoteParamsInput } from "./types.ts";

/** The quoting parameters in force, validated and exact. */
export interface ParsedQuoteParams {
  readonly ladder: LadderConfig;
  readonly refreshTolerancePercent: Decimal;
  readonly minRequoteIntervalMs: number;
}

export interface QuoteParamsSource {
  readonly ladder: LadderParams;
  readonly refreshTolerancePercent?: DecimalInput;
  readonly minRequoteIntervalMs?: number;
}

const DEFAULT_MIN_REQUOTE_INTERVAL_MS = 100;
const CHANGEABLE = new Set<string>([
  "levels",
  "baseSpreadPercent",
  "priceStepPercent",
  "orderSize",
  "refreshTolerancePercent",
  "minRequoteIntervalMs",
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
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<QuoteParamsInput>;
  const source: QuoteParamsSource = {
    ladder: {
      ...current.ladder,
      ...pick(defined, ["levels", "baseSpreadPercent", "priceStepPercent", "orderSize"]),
    },
    refreshTolerancePercent: defined.refreshTolerancePercent ?? current.refreshTolerancePercent,
    minRequoteIntervalMs: defined.minRequoteIntervalMs ?? current.minRequoteIntervalMs,
  };
  const problems = [...unknown, ...quoteParamsProblems(source)];
  if (problems.length > 0) throw configErrorOf(problems);
  return parseQuoteParams(source);
}

/** What `params()` shows: the values in effect, decimals in their shortest form. */
export function describeQuoteParams(params: ParsedQuoteParams): QuoteParams {
  const text = (value: Decimal) => formatDecimal(normalize(value));
  return {
    levels: params.ladder.levels,
    baseSpreadPercent: text(params.ladder.baseSpreadPercent),
    priceStepPercent: text(params.ladder.priceStepPercent),
    orderSize: text(params.ladder.orderSize),
    refreshTolerancePercent: text(params.refreshTolerancePercent),
    minRequoteIntervalMs: params.minRequoteIntervalMs,
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
