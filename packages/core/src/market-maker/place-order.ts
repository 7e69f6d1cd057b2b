import { type Decimal, isDecimalString, min, parseDecimal, sign, sub, ZERO } from "../decimal.ts";
import { VenueError } from "../errors.ts";
import type { PlaceStep } from "../planner.ts";
import type { Trade } from "../ports.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import { readQuantity } from "./fill-poll.ts";
import { wouldPassLimit } from "./limit-guard.ts";
import { forgetOrder, recordFill } from "./order-bookkeeping.ts";
import { awaitStream } from "./stream-fills.ts";
import type { TrackedOrder } from "./tracked-orders.ts";
import { callVenue } from "./venue-calls.ts";

/** Takes back a journal entry of a create that was never sent. */
async function closeUnsent(ctx: MarketMakerContext, intent: PlaceStep["order"]): Promise<void> {
  try {
    await ctx.ports.journal?.closed(intent.book, intent.orderId);
  } catch (error) {
    ctx.emit({ type: "error", stage: "journal", error: asError(error), orderId: intent.orderId });
  }
}

/**
 * Places one order: skipped while an order of ours it would cross may rest, journaled
 * before the create is sent, tracked from before the send until known gone.
 */
export async function placeOrder(ctx: MarketMakerContext, step: PlaceStep): Promise<void> {
  const { orders, stats } = ctx;
  if (step.after.some((id) => orders.has(id))) {
    // It would cross an order of ours that is not confirmed gone: never risk a self-trade.
    stats.skipped++;
    return;
  }
  const intent = step.order;
  try {
    await ctx.ports.journal?.opened(intent);
  } catch (error) {
    stats.failed++;
    ctx.emit({ type: "error", stage: "journal", error: asError(error), orderId: intent.orderId });
    ctx.emit({
      type: "order-failed",
      action: "place",
      orderId: intent.orderId,
      error: asError(error),
      uncertain: false,
    });
    return;
  }
  if (wouldPassLimit(ctx, intent, parseDecimal(intent.quantity))) {
    // Fills since the plan was made moved the position: this order no longer fits.
    stats.skipped++;
    await closeUnsent(ctx, intent);
    return;
  }
  const sentAt = orders.nextSequence();
  const order: TrackedOrder = {
    orderId: intent.orderId,
    side: intent.side,
    level: step.level,
    price: parseDecimal(intent.price),
    priceText: intent.price,
    quantity: intent.quantity,
    remaining: parseDecimal(intent.quantity),
    state: "placing",
    afterBookReset: false,
    knownAt: sentAt,
  };
  orders.add(order);
  try {
    const placed = await callVenue(ctx, "placeOrder", () =>
      ctx.ports.gateway.placeOrder(intent, { signal: ctx.deadline.signal }),
    );
    order.restingBy = orders.nextSequence();
    stats.placed++;
    const remaining =
      placed.status === "filled" ? ZERO : readQuantity(placed.remainingQuantity, order.remaining);
    // With a live trade stream the fill is booked from it, at the trade's price; without,
    // from CreateOrder's own trades (a crossing order trades at the resting orders' prices).
    if (!awaitStream(ctx, order, sub(parseDecimal(order.quantity), remaining))) {
      bookArrivalFills(ctx, order, sub(order.remaining, remaining), remaining, placed.trades);
    }
    order.remaining = remaining;
    order.state = "live";
    ctx.emit({ type: "order-placed", order: intent, level: step.level, status: placed.status });
    if (sign(remaining) <= 0) await forgetOrder(ctx, order);
  } catch (error) {
    stats.failed++;
    const definite =
      error instanceof VenueError && !error.outcomeUnknown && error.kind !== "already-exists";
    if (definite) await forgetOrder(ctx, order);
    else {
      order.state = "uncertain";
      order.settleAfter = ctx.ports.clock.now() + ctx.settings.uncertainGraceMs;
    }
    ctx.emit({
      type: "order-failed",
      action: "place",
      orderId: intent.orderId,
      error: asError(error),
      uncertain: !definite,
    });
  }
}

/**
 * Books what a create traded on arrival: each trade at the resting order's price (a
 * crossing order trades at the resting price, not at our limit), up to the quantity the
 * venue says filled; any of it the trades do not account for at our limit.
 */
function bookArrivalFills(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  filled: Decimal,
  remaining: Decimal,
  trades: readonly Trade[] | undefined,
): void {
  let left = filled;
  for (const trade of trades ?? []) {
    if (sign(left) <= 0) break;
    if (!isDecimalString(trade.price) || !isDecimalString(trade.quantity)) continue;
    const price = parseDecimal(trade.price);
    const quantity = min(parseDecimal(trade.quantity), left);
    if (sign(price) <= 0 || sign(quantity) <= 0) continue;
    left = sub(left, quantity);
    recordFill(
      ctx,
      order,
      quantity,
      sign(left) > 0 ? sub(order.remaining, sub(filled, left)) : remaining,
      "place-response",
      { price: trade.price },
    );
  }
  recordFill(ctx, order, left, remaining, "place-response");
}
