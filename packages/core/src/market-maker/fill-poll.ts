import { forEachBounded } from "../async/for-each-bounded.ts";
import {
  compare,
  type Decimal,
  isDecimalString,
  lt,
  parseDecimal,
  sign,
  sub,
  ZERO,
} from "../decimal.ts";
import { pollByPriority } from "../fill-watch.ts";
import type { OrderStatus } from "../ports.ts";
import { settleUnansweredCancel } from "./cancel-order.ts";
import type { MarketMakerContext } from "./context.ts";
import { forgetOrder, recordFill } from "./order-bookkeeping.ts";
import { awaitStream, reconcileStream, streaming } from "./stream-fills.ts";
import type { TrackedOrder } from "./tracked-orders.ts";
import { callVenue } from "./venue-calls.ts";

/** A venue quantity, or the fallback when the venue sent something unreadable. */
export function readQuantity(text: string, fallback: Decimal): Decimal {
  if (!isDecimalString(text)) return fallback;
  const value = parseDecimal(text);
  return sign(value) < 0 || compare(value, fallback) > 0 ? fallback : value;
}

/** Applies what GetOrder said; answers whether the order is still live. */
export async function applyStatus(
  ctx: MarketMakerContext,
  order: TrackedOrder,
  status: OrderStatus,
  observedAt: number,
): Promise<boolean> {
  if (status.state === "gone") {
    if (order.cancelUnanswered !== undefined && order.state === "live" && !order.afterBookReset) {
      await settleUnansweredCancel(ctx, order, order.cancelUnanswered);
      return false;
    }
    if (
      !order.afterBookReset &&
      order.state === "live" &&
      !awaitStream(ctx, order, parseDecimal(order.quantity))
    ) {
      recordFill(ctx, order, order.remaining, ZERO, "poll");
    }
    await forgetOrder(ctx, order);
    return false;
  }
  const remaining = readQuantity(status.remainingQuantity, order.remaining);
  if (
    !order.afterBookReset &&
    lt(remaining, order.remaining) &&
    !awaitStream(ctx, order, sub(parseDecimal(order.quantity), remaining))
  ) {
    recordFill(ctx, order, sub(order.remaining, remaining), remaining, "poll");
  }
  order.remaining = remaining;
  order.state = "live";
  order.afterBookReset = false;
  order.knownAt = observedAt;
  order.liveAt = Math.max(order.liveAt ?? observedAt, observedAt);
  order.restingBy ??= observedAt;
  return true;
}

/** Asks the venue about one order; answers whether it is still live. */
export async function pollOrder(ctx: MarketMakerContext, order: TrackedOrder): Promise<boolean> {
  const sentAt = ctx.orders.nextSequence();
  const { gateway } = ctx.ports;
  const status = await callVenue(ctx, "getOrder", () =>
    gateway.getOrder(ctx.settings.book, order.orderId, { signal: ctx.deadline.signal }),
  );
  return applyStatus(ctx, order, status, sentAt);
}

/**
 * Asks about a create whose answer was lost (e.g. a trading CreateOrder that ran past our
 * deadline and landed anyway): when it rests, what it traded on arrival is a fill and it is
 * live from now on. When the venue does not hold it, it stays uncertain: the cancel path
 * settles it once its grace period is over (it may still arrive, or it filled completely,
 * which Matchingo cannot tell apart from never having arrived).
 */
export async function pollUncertain(ctx: MarketMakerContext, order: TrackedOrder): Promise<void> {
  const sentAt = ctx.orders.nextSequence();
  const { gateway } = ctx.ports;
  const status = await callVenue(ctx, "getOrder", () =>
    gateway.getOrder(ctx.settings.book, order.orderId, { signal: ctx.deadline.signal }),
  );
  if (status.state === "live" && order.state === "uncertain") {
    await applyStatus(ctx, order, status, sentAt);
  }
}

/** Learns the fills since the last look, as `fillPolling` says. */
export async function pollFills(ctx: MarketMakerContext): Promise<void> {
  const { concurrency, fillPolling } = ctx.settings;
  const { orders } = ctx;
  const poll = (o: TrackedOrder) => pollOrder(ctx, o);
  const suspects = orders.all().filter((o) => o.afterBookReset);
  await forEachBounded(suspects, concurrency, async (o) => void (await poll(o)));
  const uncertain = orders.all().filter((o) => o.state === "uncertain" && !o.afterBookReset);
  await forEachBounded(uncertain, concurrency, (o) => pollUncertain(ctx, o));
  if (ctx.ports.fills) reconcileStream(ctx);
  // Barriers older than every tracked order serve no poll: dropped before any early return,
  // or they pile up by the cancel while the stream (or FILL_POLLING off) skips the polls.
  pruneRetired(orders);
  if (fillPolling === "off") return;
  if (streaming(ctx)) {
    // The stream reports fills: live orders are polled only as a slow reconciliation.
    const now = ctx.ports.clock.now();
    if (now - (ctx.lastReconcileAt ?? now) < ctx.settings.reconcileIntervalMs) {
      ctx.lastReconcileAt ??= now;
      return;
    }
    ctx.lastReconcileAt = now;
  }
  const live = orders.all().filter((o) => o.state === "live" && !o.afterBookReset);
  if (fillPolling === "all") {
    await forEachBounded(live, concurrency, async (o) => void (await poll(o)));
    return;
  }
  await pollByPriority(live, orders.retired, orders.nextSequence(), poll, {
    sidesInParallel: concurrency > 1,
  });
  pruneRetired(orders);
}

/** Keeps the barriers that still reach a tracked order (none when none is tracked). */
function pruneRetired(orders: MarketMakerContext["orders"]): void {
  if (orders.retired.length === 0) return;
  let oldest = Number.POSITIVE_INFINITY;
  for (const o of orders.all()) if (o.knownAt < oldest) oldest = o.knownAt;
  orders.retired = orders.retired.filter((b) => b.to >= oldest);
}
