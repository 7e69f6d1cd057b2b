import { add, type Decimal, gt, neg, ZERO } from "../decimal.ts";
import type { OrderIntent } from "../ports.ts";
import type { MarketMakerContext } from "./context.ts";

/**
 * The last check before a create is sent: would this order, filled completely with every
 * order of ours on its side that may rest (live, placing or uncertain), take |position|
 * past the limit at the position known now? The ladder is trimmed and the plan ordered
 * for the position when the plan was made; fills learned while it runs (a cancel that
 * found an order gone) can move it, and this keeps such a plan from overshooting.
 * Call it in the same synchronous step that starts tracking the order.
 */
export function wouldPassLimit(
  ctx: MarketMakerContext,
  intent: OrderIntent,
  quantity: Decimal,
): boolean {
  const { maxPosition } = ctx.risk;
  if (maxPosition === undefined) return false;
  let exposure = quantity;
  for (const order of ctx.orders.all()) {
    if (order.side === intent.side) exposure = add(exposure, order.remaining);
  }
  const position = ctx.ledger.position;
  const room = intent.side === "buy" ? add(maxPosition, neg(position)) : add(maxPosition, position);
  return gt(exposure, gt(room, ZERO) ? room : ZERO);
}
