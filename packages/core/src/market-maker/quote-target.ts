import type { Decimal } from "../decimal.ts";
import { computeLadder, type Ladder } from "../ladder.ts";
import type { ParsedQuoteParams } from "./quote-params.ts";

export interface QuoteTargetInput {
  /** The reference price, a decimal string. */
  readonly price: string;
  readonly params: ParsedQuoteParams;
  /** Base units bought minus sold so far. */
  readonly position: Decimal;
}

/**
 * The ladder we want on the book now. Today the seed's symmetric ladder around the
 * reference price; this is the one place where risk rules (inventory skew of the centre,
 * position limits trimming a side) belong, as they need exactly these three inputs.
 * Throws a `LadderError` when the price gives no valid ladder.
 */
export function quoteTarget(input: QuoteTargetInput): Ladder {
  return computeLadder(input.price, input.params.ladder);
}
