import type { Decimal } from "../decimal.ts";
import { readDecimal } from "../decimal-input.ts";
import type { Ladder } from "../ladder.ts";
import { trimToPositionLimit } from "../risk/limit.ts";
import type { ParsedRisk } from "../risk/risk-settings.ts";
import { checkTargetLadder } from "../strategies/check-target.ts";
import { layered } from "../strategies/layered.ts";
import type { PricePoint, Strategy } from "../strategies/types.ts";
import type { ParsedQuoteParams } from "./quote-params.ts";

export interface QuoteTargetInput {
  /** The reference price, a decimal string. */
  readonly price: string;
  readonly params: ParsedQuoteParams;
  /** Base units bought minus sold so far. */
  readonly position: Decimal;
  readonly risk: ParsedRisk;
  /** Default: the seed's layered ladder. */
  readonly strategy?: Strategy;
  readonly symbol?: string;
  /** Recent prices, oldest first (the strategy's view). Default: just this one. */
  readonly prices?: readonly PricePoint[];
  /** Clock ms. Default 0. */
  readonly now?: number;
}

/**
 * The ladder we want on the book now: the strategy's (by default the seed's ladder around
 * the reference price, its centre moved by inventory skew), checked (a price off the tick,
 * a side out of order or a crossed ladder is a `LadderError`: nothing is placed on it),
 * then trimmed from the outside in so that no level, filled with every other of its side,
 * takes |position| past the limit. Without a limit it is exactly the strategy's ladder.
 */
export function quoteTarget(input: QuoteTargetInput): Ladder {
  const { risk, position, params } = input;
  const strategy = input.strategy ?? layered;
  const now = input.now ?? 0;
  const ladder = checkTargetLadder(
    strategy.quote({
      symbol: input.symbol ?? "",
      reference: readDecimal("price", input.price),
      prices: input.prices ?? [{ at: now, price: input.price }],
      position,
      ladder: params.ladder,
      risk,
      strategy: params.strategy,
      now,
    }),
    params.ladder,
    strategy.name,
  );
  if (risk.maxPosition === undefined) return ladder;
  const { limited: _limited, ...trimmed } = trimToPositionLimit(ladder, {
    position,
    maxPosition: risk.maxPosition,
    qtyStep: params.ladder.qtyStep,
  });
  return trimmed;
}
