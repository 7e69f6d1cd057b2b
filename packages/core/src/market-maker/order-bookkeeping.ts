import type { Decimal } from "../decimal.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import { formatAmount, type TrackedOrder } from "./tracked-orders.ts";

/** The only way an id leaves the tracked set: the order is known gone. Journaled. */
export async function forgetOrder(ctx: MarketMakerContext, order: TrackedOrder): Promise<void> {
  if (!ctx.orders.remove(order.orderId)) return;
  const { journal } = ctx.ports;
  if (!journal) return;
  try {
    await journal.closed(ctx.settings.book, order.orderId);
  } catch (error) {
    ctx.emit({ type: "error", stage: "journal", error: asError(error), orderId: order.orderId });
  }
}

/** Books a fill of `quantity` on `order` (nothing at or below zero) and reports it. */
export function recordFill(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  quantity: Decimal,
  remaining: Decimal,
): void {
  if (!ctx.ledger.record(order.side, order.price, quantity)) return;
  ctx.stats.fills++;
  ctx.emit({
    type: "fill",
    orderId: order.orderId,
    side: order.side,
    price: order.priceText,
    quantity: formatAmount(quantity),
    remaining: formatAmount(remaining),
    position: formatAmount(ctx.ledger.position),
  });
}
