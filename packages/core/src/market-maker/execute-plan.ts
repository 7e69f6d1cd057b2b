import { forEachBounded } from "../async/for-each-bounded.ts";
import type { Plan } from "../planner.ts";
import { cancelOrder } from "./cancel-order.ts";
import type { MarketMakerContext } from "./context.ts";
import { placeOrder } from "./place-order.ts";

/**
 * Runs a plan's phases in order, each phase's steps concurrently (bounded). Once
 * `signal` aborts nothing new starts and what is in flight finishes; answers whether the
 * whole plan ran.
 */
export async function executePlan(
  ctx: MarketMakerContext,
  plan: Plan,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  for (const kept of plan.keep) {
    const order = ctx.orders.get(kept.orderId);
    if (order) order.level = kept.level;
  }
  for (const [index, phase] of plan.phases.entries()) {
    if (signal?.aborted) {
      ctx.stats.skipped += plan.phases.slice(index).reduce((n, p) => n + p.length, 0);
      return false;
    }
    await forEachBounded(phase, ctx.settings.concurrency, async (step) => {
      if (signal?.aborted) {
        ctx.stats.skipped++;
        return;
      }
      if (step.kind === "place") {
        // Paused or halted while the plan ran (e.g. a fill tripped the kill switch).
        if (ctx.paused) {
          ctx.stats.skipped++;
          return;
        }
        await placeOrder(ctx, step);
      } else await cancelOrder(ctx, step.orderId, step.reason);
    });
  }
  return !signal?.aborted;
}
