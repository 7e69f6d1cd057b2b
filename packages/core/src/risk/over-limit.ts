import { add, compare, type Decimal, gt, parseDecimal, sub, ZERO } from "../decimal.ts";
import { readDecimal } from "../decimal-input.ts";
import type { LiveOrder } from "../planner.ts";
import type { Side } from "../ports.ts";
import type { PlanLimit } from "./limit-plan.ts";

/**
 * Our live orders that must go now so that each side, filled completely, keeps
 * |position| within the limit: for the reaction to a fill (or a restored position, or a
 * lowered limit) without waiting for the next requote. Outermost first (bids from the
 * lowest price, asks from the highest), as few as needed; uncertain creates count as
 * resting. Empty when every side fits.
 */
export function ordersOverLimit(live: readonly LiveOrder[], limit: PlanLimit): string[] {
  const position = readDecimal("position", limit.position);
  const maxPosition = readDecimal("maxPosition", limit.maxPosition);
  return [
    ...overSide(live, "buy", sub(maxPosition, position)),
    ...overSide(live, "sell", add(maxPosition, position)),
  ];
}

function overSide(live: readonly LiveOrder[], side: Side, room: Decimal): string[] {
  const orders = live
    .filter((order) => order.side === side)
    .map((order) => ({
      order,
      price: parseDecimal(order.price),
      quantity: parseDecimal(order.quantity),
    }))
    // Outermost first: the lowest bid, the highest ask.
    .sort((a, b) => (side === "buy" ? compare(a.price, b.price) : compare(b.price, a.price)));
  let exposure = orders.reduce((sum, item) => add(sum, item.quantity), ZERO);
  const out: string[] = [];
  for (const item of orders) {
    if (!gt(exposure, room)) break;
    out.push(item.order.orderId);
    exposure = sub(exposure, item.quantity);
  }
  return out;
}
