import { forEachBounded } from "../async/for-each-bounded.ts";
import { ordersOverLimit } from "../risk/over-limit.ts";
import { cancelOrder } from "./cancel-order.ts";
import type { MarketMakerContext } from "./context.ts";

/**
 * The reaction to what was just learned (fills, a trip), in the same cycle or requote
 * that learned it: when halted, cancel every order; otherwise cancel the orders that,
 * filled, would take |position| past the limit (the growing side's outermost first).
 */
export async function reactToRisk(ctx: MarketMakerContext): Promise<void> {
  if (ctx.halt) {
    const ids = ctx.orders.ids();
    await forEachBounded(ids, ctx.settings.concurrency, async (id) => {
      await cancelOrder(ctx, id, "halt");
    });
    return;
  }
  const { maxPosition } = ctx.risk;
  if (maxPosition === undefined) return;
  const over = ordersOverLimit(ctx.orders.planInput(), {
    position: ctx.ledger.position,
    maxPosition,
  });
  await forEachBounded(over, ctx.settings.concurrency, async (id) => {
    await cancelOrder(ctx, id, "limit");
  });
}
