import { parseDecimal, ZERO } from "../decimal.ts";
import { VenueError } from "../errors.ts";
import { barrierOf } from "../fill-watch.ts";
import type { CancelReason } from "../planner.ts";
import type { CancelOutcome } from "../ports.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import { forgetOrder, recordFill } from "./order-bookkeeping.ts";
import { awaitStream } from "./stream-fills.ts";
import type { TrackedOrder } from "./tracked-orders.ts";
import { callVenue } from "./venue-calls.ts";

/** Reasons that settle an uncertain create at the first "already gone" (we are leaving). */
const FINAL: ReadonlySet<CancelReason> = new Set(["shutdown", "pause", "halt"]);

/** Cancels one order; answers the outcome, or undefined when it could not be confirmed. */
export async function cancelOrder(
  ctx: MarketMakerContext,
  orderId: string,
  reason: CancelReason,
): Promise<CancelOutcome | undefined> {
  const order = ctx.orders.get(orderId);
  if (!order) return "already-gone";
  const sentAt = ctx.orders.nextSequence();
  let outcome: CancelOutcome;
  try {
    outcome = await callVenue(ctx, "cancelOrder", () =>
      ctx.ports.gateway.cancelOrder(ctx.settings.book, orderId, { signal: ctx.deadline.signal }),
    );
  } catch (error) {
    if (!(error instanceof VenueError && error.kind === "book-not-found")) {
      if (!(error instanceof VenueError) || error.outcomeUnknown) order.cancelUnanswered = reason;
      ctx.stats.failed++;
      ctx.emit({
        type: "order-failed",
        action: "cancel",
        orderId,
        error: asError(error),
        uncertain: true,
      });
      return undefined;
    }
    outcome = "already-gone"; // no book, no order
    order.afterBookReset = true;
  }
  if (
    outcome === "already-gone" &&
    order.state === "uncertain" &&
    !FINAL.has(reason) &&
    !order.afterBookReset &&
    ctx.ports.clock.now() < (order.settleAfter ?? 0)
  ) {
    // Its create timed out here, not necessarily on the venue, which may still carry it
    // out: not gone yet. Cancel it again next cycle (it stays in the journal meanwhile).
    return undefined;
  }
  if (outcome === "canceled" && order.restingBy !== undefined) {
    // It was live (not fully consumed) until now: still a barrier for deeper orders.
    order.liveAt = Math.max(order.liveAt ?? sentAt, sentAt);
    const barrier = barrierOf(order);
    if (barrier) ctx.orders.retired.push(barrier);
  }
  const goneWhileLive =
    outcome === "already-gone" && order.state === "live" && !order.afterBookReset;
  if (goneWhileLive && order.cancelUnanswered === undefined) {
    // Gone without our cancel: filled since we last knew it (with a live stream, booked
    // when it reports the trades).
    if (!awaitStream(ctx, order, parseDecimal(order.quantity))) {
      recordFill(ctx, order, order.remaining, ZERO, "cancel-found-gone");
    }
  }
  ctx.stats.canceled++;
  await forgetOrder(ctx, order);
  ctx.emit({
    type: "order-canceled",
    orderId,
    side: order.side,
    price: order.priceText,
    outcome,
    reason,
    ...(goneWhileLive && order.cancelUnanswered !== undefined ? { fillUnknown: true } : {}),
  });
  return outcome;
}

/**
 * A poll found gone an order whose cancel got no answer: most likely that cancel took.
 * Settled as cancelled, with no fill booked (see `OrderCanceledEvent.fillUnknown`).
 */
export async function settleUnansweredCancel(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  reason: CancelReason,
): Promise<void> {
  ctx.stats.canceled++;
  await forgetOrder(ctx, order);
  ctx.emit({
    type: "order-canceled",
    orderId: order.orderId,
    side: order.side,
    price: order.priceText,
    outcome: "already-gone",
    reason,
    fillUnknown: true,
  });
}
