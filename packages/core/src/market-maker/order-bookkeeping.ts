import { add, type Decimal, parseDecimal, sign, sub, ZERO } from "../decimal.ts";
import type { TradeFill } from "../ports.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import type { FillSource } from "./events.ts";
import { formatAmount } from "./format-amount.ts";
import { checkKillSwitch } from "./loss-check.ts";
import type { Bookable, TrackedOrder } from "./tracked-orders.ts";

/** The only way an id leaves the tracked set: the order is known gone. Journaled. */
export async function forgetOrder(ctx: MarketMakerContext, order: TrackedOrder): Promise<void> {
  if (!ctx.orders.remove(order.orderId)) return;
  // The stream may still report fills of it (made before our cancel, or in flight). Only
  // an order with something booked or shown filled needs remembering: a late stream fill
  // of one that never traded is booked whole from its id alone, as for an order of an
  // earlier run (applyStreamFill). Remembering every cancelled order filled the settled
  // set to its 10,000 per symbol within half an hour of requotes (issue 26).
  if (ctx.ports.fills && !order.afterBookReset && mayStillMatter(order)) ctx.settled.add(order);
  const { journal } = ctx.ports;
  if (!journal) return;
  try {
    await journal.closed(ctx.settings.book, order.orderId);
  } catch (error) {
    ctx.emit({ type: "error", stage: "journal", error: asError(error), orderId: order.orderId });
  }
}

/** Something of it was booked, reported by the stream, or shown filled by the venue. */
function mayStillMatter(order: TrackedOrder): boolean {
  return (
    sign(order.booked ?? ZERO) > 0 ||
    sign(order.streamed ?? ZERO) > 0 ||
    order.venueFilled !== undefined
  );
}

/**
 * Books a fill of `quantity` on `order` (nothing at or below zero), reports it with how it
 * was learned, and checks the loss kill switch on the new P&L (a trip halts quoting; the
 * cycle's risk reaction then pulls the quotes).
 */
export function recordFill(
  ctx: MarketMakerContext,
  order: Bookable,
  quantity: Decimal,
  remaining: Decimal,
  via: FillSource,
  trade?: { readonly price: string; readonly fill?: TradeFill },
): void {
  const before = ctx.ledger.pnl;
  const price = trade === undefined ? order.price : parseDecimal(trade.price);
  const after = ctx.ledger.record(order.side, price, quantity, ctx.risk.feeBps);
  if (!after) return;
  order.booked = add(order.booked ?? ZERO, quantity);
  ctx.stats.fills++;
  const fill = trade?.fill;
  ctx.emit({
    type: "fill",
    orderId: order.orderId,
    side: order.side,
    price: trade === undefined ? order.priceText : trade.price,
    quantity: formatAmount(quantity),
    remaining: formatAmount(remaining),
    position: after.position,
    via,
    fee: formatAmount(sub(parseDecimal(after.fees), parseDecimal(before.fees))),
    realized: after.realized,
    ...(fill === undefined
      ? {}
      : {
          role: fill.role,
          receivedAt: fill.receivedAt,
          ...(fill.key === undefined ? {} : { key: fill.key }),
        }),
  });
  checkKillSwitch(ctx);
}
