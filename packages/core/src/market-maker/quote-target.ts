import type { Decimal } from "../decimal.ts";
import type { Ladder } from "../ladder.ts";
import { trimToPositionLimit } from "../risk/limit.ts";
import { computeSkewedLadder } from "../risk/skew.ts";
import type { ParsedQuoteParams } from "./quote-params.ts";
import type { ParsedRisk } from "./risk-settings.ts";

export interface QuoteTargetInput {
  /** The reference price, a decimal string. */
  readonly price: string;
  readonly params: ParsedQuoteParams;
  /** Base units bought minus sold so far. */
  readonly position: Decimal;
  readonly risk: ParsedRisk;
}

/**
 * The ladder we want on the book now: the seed's ladder around the reference price, its
 * centre moved by inventory skew, then trimmed from the outside in so that no level,
 * filled with every other of its side, takes |position| past the limit. Without a limit
 * it is exactly the seed's ladder. Throws a `LadderError` when the price gives no ladder.
 */
export function quoteTarget(input: QuoteTargetInput): Ladder {
  const { risk, position } = input;
  const ladder = computeSkewedLadder(input.price, input.params.ladder, {
    position,
    maxPosition: risk.maxPosition,
    skewPercent: risk.skewPercent,
  });
  if (risk.maxPosition === undefined) return ladder;
  const { limited: _limited, ...trimmed } = trimToPositionLimit(ladder, {
    position,
    maxPosition: risk.maxPosition,
    qtyStep: input.params.ladder.qtyStep,
  });
  return trimmed;
}
