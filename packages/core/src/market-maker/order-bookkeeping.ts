import { type Decimal, parseDecimal, sub } from "../decimal.ts";
import type { FillSource } from "../events.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import { checkKillSwitch } from "./loss-check.ts";
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

/**
 * Books a fill of `quantity` on `order` (nothing at or below zero), reports it with how it
 * was learned, and checks the loss kill switch on the new P&L (a trip halts quoting; the
 * cycle's risk reaction then pulls the quotes).
 */
export function recordFill(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  quantity: Decimal,
  remaining: Decimal,
  via: FillSource,
  /** Where it traded, when not at the order's limit (a crossing create: the resting price). */
  at?: { readonly price: Decimal; readonly text: string },
): void {
  const before = ctx.ledger.pnl;
  const price = at ?? { price: order.price, text: order.priceText };
  const after = ctx.ledger.record(order.side, price.price, quantity, ctx.risk.feeBps);
  if (!after) return;
  ctx.stats.fills++;
  ctx.emit({
    type: "fill",
    orderId: order.orderId,
    side: order.side,
    price: price.text,
    quantity: formatAmount(quantity),
    remaining: formatAmount(remaining),
    position: after.position,
    via,
    fee: formatAmount(sub(parseDecimal(after.fees), parseDecimal(before.fees))),
    realized: after.realized,
  });
  checkKillSwitch(ctx);
}
