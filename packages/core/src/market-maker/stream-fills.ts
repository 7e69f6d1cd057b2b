import {
  add,
  type Decimal,
  gt,
  isDecimalString,
  min,
  parseDecimal,
  sign,
  sub,
  ZERO,
} from "../decimal.ts";
import { parseOrderId } from "../order-id.ts";
import type { TradeFill } from "../ports.ts";
import type { MarketMakerContext } from "./context.ts";
import { forgetOrder, recordFill } from "./order-bookkeeping.ts";
import type { Bookable, TrackedOrder } from "./tracked-orders.ts";

/** The stream delivers now: fills learned otherwise wait for it (or the reconciliation). */
export function streaming(ctx: MarketMakerContext): boolean {
  return ctx.ports.fills?.live() === true;
}

/**
 * The venue showed `filled` of `order` traded (in total) without the stream's word: with a
 * live stream this is booked only once the stream reports it, at the trade's price (or by
 * the reconciliation if it never does). Answers false when the caller should book it as
 * before (no live stream).
 */
export function awaitStream(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  filled: Decimal,
): boolean {
  if (!streaming(ctx)) return false;
  const before = order.venueFilled?.quantity ?? ZERO;
  if (gt(filled, before)) order.venueFilled = { quantity: filled, since: ctx.ports.clock.now() };
  return true;
}

const sumOf = (a: Decimal | undefined, b: Decimal) => add(a ?? ZERO, b);

/**
 * Books one fill the stream reported, once: a redelivered key is ignored, and on each
 * order only what the stream reports beyond what was booked already (by polls while the
 * stream was down, or before a restart) is booked, at the trade's price. Answers whether
 * anything was booked; a tracked order whose remainder the stream consumed is forgotten.
 */
export async function applyStreamFill(ctx: MarketMakerContext, fill: TradeFill): Promise<boolean> {
  if (fill.key !== undefined) {
    if (ctx.streamKeys.has(fill.key)) return false;
    ctx.streamKeys.add(fill.key);
    if (ctx.streamKeys.size > 100_000) {
      ctx.streamKeys.delete(ctx.streamKeys.values().next().value as string);
    }
  }
  if (!isDecimalString(fill.quantity) || !isDecimalString(fill.price)) return false;
  const quantity = parseDecimal(fill.quantity);
  if (sign(quantity) <= 0 || sign(parseDecimal(fill.price)) <= 0) return false;
  const tracked = ctx.orders.get(fill.orderId);
  if (tracked) {
    const total = parseDecimal(tracked.quantity);
    tracked.streamed = sumOf(tracked.streamed, quantity);
    const due = sub(min(tracked.streamed, total), tracked.booked ?? ZERO);
    if (sign(due) <= 0) return false;
    const rest = sub(total, tracked.streamed);
    if (gt(tracked.remaining, rest)) tracked.remaining = sign(rest) < 0 ? ZERO : rest;
    recordFill(ctx, tracked, due, tracked.remaining, "stream", { price: fill.price, fill });
    if (sign(tracked.remaining) <= 0 && tracked.state === "live") await forgetOrder(ctx, tracked);
    return true;
  }
  let settled = ctx.settled.get(fill.orderId);
  if (!settled) {
    // Not one we track or remember (placed before a restart): ours if the id says so.
    const parts = parseOrderId(fill.orderId, ctx.settings.marketMakerId);
    if (!parts) return false;
    ctx.settled.restore([{ orderId: fill.orderId, side: parts.side, booked: "0", streamed: "0" }]);
    settled = ctx.settled.get(fill.orderId);
    if (!settled) return false;
  }
  settled.streamed = add(settled.streamed, quantity);
  const cap =
    settled.quantity === undefined ? settled.streamed : min(settled.streamed, settled.quantity);
  const due = sub(cap, settled.booked ?? ZERO);
  if (sign(due) <= 0) return false;
  recordFill(ctx, settled, due, ZERO, "stream", { price: fill.price, fill });
  return true;
}

/**
 * What the venue showed filled more than a grace period ago and the stream never
 * reported: booked at the order's limit, as `reconciliation` (the runner warns naming
 * the order: with a working stream this should not happen).
 */
export function reconcileStream(ctx: MarketMakerContext): void {
  const cutoff = ctx.ports.clock.now() - ctx.settings.streamGraceMs;
  const candidates: Array<Bookable & { venueFilled?: { quantity: Decimal; since: number } }> = [
    ...ctx.orders.all(),
    ...ctx.settled.all(),
  ];
  for (const order of candidates) {
    const shown = order.venueFilled;
    if (!shown || shown.since > cutoff) continue;
    const due = sub(shown.quantity, order.booked ?? ZERO);
    if (sign(due) > 0) {
      const tracked = ctx.orders.get(order.orderId);
      recordFill(ctx, order, due, tracked ? tracked.remaining : ZERO, "reconciliation");
    }
    delete order.venueFilled;
  }
}
