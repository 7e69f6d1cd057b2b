import { type ConfigProblem, configErrorOf, describeValue } from "../config-error.ts";
import { type Decimal, formatDecimal, isZero, normalize, sign, ZERO } from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";

/** Inventory and loss limits of one symbol (all optional: unset = no such rule). */
export interface RiskOptions {
  /** MAX_POSITION, base units, > 0: no order rests that could take |position| past it. */
  readonly maxPosition?: DecimalInput;
  /** INVENTORY_SKEW_PERCENT, >= 0 (needs `maxPosition` when > 0). Default 0 = off. */
  readonly inventorySkewPercent?: DecimalInput;
  /** MAKER_FEE_BPS: fee per fill in basis points of its notional; negative = rebate. */
  readonly makerFeeBps?: DecimalInput;
  /** MAX_LOSS, quote units, > 0: halt when the symbol's P&L reaches −maxLoss. */
  readonly maxLoss?: DecimalInput;
  /** MAX_DRAWDOWN, quote units, > 0: halt when P&L falls this far below its peak. */
  readonly maxDrawdown?: DecimalInput;
}

/** The risk rules in force, exact. */
export interface ParsedRisk {
  readonly maxPosition?: Decimal;
  readonly skewPercent: Decimal;
  readonly feeBps: Decimal;
  readonly maxLoss?: Decimal;
  readonly maxDrawdown?: Decimal;
}

/** What `snapshot().risk` shows of the rules: decimals as normalized strings. */
export interface RiskLimits {
  readonly maxPosition?: string;
  readonly inventorySkewPercent: string;
  readonly makerFeeBps: string;
  readonly maxLoss?: string;
  readonly maxDrawdown?: string;
}

/** Validates the risk options; a `ConfigError` naming every problem otherwise. */
export function parseRisk(input: RiskOptions | undefined): ParsedRisk {
  const problems: ConfigProblem[] = [];
  const given = input ?? {};
  const read = (
    field: keyof RiskOptions,
    rule: "positive" | "non-negative" | "any",
  ): Decimal | undefined => {
    const value = given[field];
    if (value === undefined) return undefined;
    let parsed: Decimal;
    try {
      parsed = readDecimal(field, value);
    } catch (error) {
      problems.push({ field, value, message: (error as Error).message });
      return undefined;
    }
    const bad =
      rule === "positive" ? sign(parsed) <= 0 : rule === "non-negative" && sign(parsed) < 0;
    if (bad) {
      const bound = rule === "positive" ? "> 0" : ">= 0";
      problems.push({
        field,
        value,
        message: `${field} must be ${bound}, got ${describeValue(value)}`,
      });
      return undefined;
    }
    return parsed;
  };
  const maxPosition = read("maxPosition", "positive");
  const skewPercent = read("inventorySkewPercent", "non-negative") ?? ZERO;
  const feeBps = read("makerFeeBps", "any") ?? ZERO;
  const maxLoss = read("maxLoss", "positive");
  const maxDrawdown = read("maxDrawdown", "positive");
  if (!isZero(skewPercent) && given.maxPosition === undefined) {
    problems.push({
      field: "inventorySkewPercent",
      value: given.inventorySkewPercent,
      message: `inventorySkewPercent ${describeValue(given.inventorySkewPercent)} needs maxPosition (the skew is relative to it)`,
    });
  }
  if (problems.length > 0) throw configErrorOf(problems);
  return {
    ...(maxPosition ? { maxPosition } : {}),
    skewPercent,
    feeBps,
    ...(maxLoss ? { maxLoss } : {}),
    ...(maxDrawdown ? { maxDrawdown } : {}),
  };
}

export function describeRisk(risk: ParsedRisk): RiskLimits {
  const text = (value: Decimal) => formatDecimal(normalize(value));
  return {
    ...(risk.maxPosition ? { maxPosition: text(risk.maxPosition) } : {}),
    inventorySkewPercent: text(risk.skewPercent),
    makerFeeBps: text(risk.feeBps),
    ...(risk.maxLoss ? { maxLoss: text(risk.maxLoss) } : {}),
    ...(risk.maxDrawdown ? { maxDrawdown: text(risk.maxDrawdown) } : {}),
  };
}

/**
 * The risk rules after an operator's change: the patch over the rules in force, validated
 * as at creation (every problem listed; nothing changed on any). A key set to `null`
 * removes that limit.
 */
export function applyRisk(
  current: ParsedRisk,
  patch: { readonly [K in keyof RiskOptions]?: RiskOptions[K] | null },
): ParsedRisk {
  const known = new Set<string>([
    "maxPosition",
    "inventorySkewPercent",
    "makerFeeBps",
    "maxLoss",
    "maxDrawdown",
  ]);
  const unknown: ConfigProblem[] =
    patch === null || typeof patch !== "object"
      ? [
          {
            field: "risk",
            value: patch,
            message: `risk must be an object, got ${describeValue(patch)}`,
          },
        ]
      : Object.keys(patch)
          .filter((key) => !known.has(key))
          .map((key) => ({
            field: key,
            value: (patch as Record<string, unknown>)[key],
            message: `${key} is not a risk setting (only ${[...known].join(", ")})`,
          }));
  if (unknown.length > 0) throw configErrorOf(unknown);
  const merged: Record<string, DecimalInput | undefined> = {
    maxPosition: current.maxPosition,
    inventorySkewPercent: current.skewPercent,
    makerFeeBps: current.feeBps,
    maxLoss: current.maxLoss,
    maxDrawdown: current.maxDrawdown,
  };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = value === null ? undefined : value;
  }
  const defined = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as RiskOptions;
  return parseRisk(defined);
}
