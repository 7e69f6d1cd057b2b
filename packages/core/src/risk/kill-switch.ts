import { ConfigError, describeValue } from "../config-error.ts";
import { add, formatDecimal, gte, max, neg, normalize, sign, sub } from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";

export interface LossFigures {
  /** Realized P&L of the symbol (after fees), quote units. */
  readonly realized: DecimalInput;
  /** Unrealized P&L of the symbol at the current mark. */
  readonly unrealized: DecimalInput;
  /** Highest total P&L seen since start; undefined at the first check (the current total). */
  readonly peak?: DecimalInput | undefined;
}

export interface LossLimits {
  /** MAX_LOSS: trip when total P&L ≤ −maxLoss. */
  readonly maxLoss?: DecimalInput | undefined;
  /** MAX_DRAWDOWN: trip when peak − total ≥ maxDrawdown. */
  readonly maxDrawdown?: DecimalInput | undefined;
}

export interface LossCheck {
  readonly tripped: boolean;
  /** Why, with the figures, when tripped. */
  readonly reason?: string;
  /** The peak to pass to the next check. */
  readonly peak: string;
}

/**
 * The loss kill switch of one symbol. Pure: the caller keeps `peak` between checks and
 * pulls the quotes (and records the halt) when `tripped`. Reaching a limit trips it.
 */
export function checkLoss(figures: LossFigures, limits: LossLimits): LossCheck {
  const total = add(
    readDecimal("realized", figures.realized),
    readDecimal("unrealized", figures.unrealized),
  );
  const peak = normalize(
    figures.peak === undefined ? total : max(readDecimal("peak", figures.peak), total),
  );
  const reasons: string[] = [];
  if (limits.maxLoss !== undefined) {
    const maxLoss = positive("maxLoss", limits.maxLoss);
    if (gte(neg(total), maxLoss)) {
      reasons.push(
        `loss ${formatDecimal(normalize(neg(total)))} reached MAX_LOSS ${formatDecimal(maxLoss)}`,
      );
    }
  }
  if (limits.maxDrawdown !== undefined) {
    const maxDrawdown = positive("maxDrawdown", limits.maxDrawdown);
    const drawdown = sub(peak, total);
    if (gte(drawdown, maxDrawdown)) {
      reasons.push(
        `drawdown ${formatDecimal(normalize(drawdown))} from peak ${formatDecimal(peak)} reached MAX_DRAWDOWN ${formatDecimal(maxDrawdown)}`,
      );
    }
  }
  const shown = formatDecimal(peak);
  return reasons.length === 0
    ? { tripped: false, peak: shown }
    : { tripped: true, reason: reasons.join("; "), peak: shown };
}

function positive(field: string, input: DecimalInput) {
  const value = readDecimal(field, input);
  if (sign(value) <= 0) {
    throw new ConfigError(`${field} must be > 0, got ${describeValue(input)}`, field, input);
  }
  return value;
}
