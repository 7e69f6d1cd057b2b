import { delayEndingOnAbort } from "../async/delay.ts";
import { forEachBounded } from "../async/for-each-bounded.ts";
import { cancelOrder } from "./cancel-order.ts";
import { type MarketMakerContext, newStats } from "./context.ts";
import type { StopSummary } from "./events.ts";

/**
 * Cancels every order we may own, retrying the unconfirmed ones with back-off until
 * `endsAt` (performance.now() ms) or the shutdown deadline aborts.
 */
export async function cancelEverything(
  ctx: MarketMakerContext,
  endsAt: number,
  reason: "shutdown" | "pause" = "shutdown",
): Promise<StopSummary> {
  ctx.stats = newStats();
  let canceled = 0;
  let alreadyGone = 0;
  const failed: string[] = [];
  let pending = ctx.orders.ids();
  let backoff = 50;
  const { signal } = ctx.deadline;
  while (pending.length > 0) {
    const retry: string[] = [];
    await forEachBounded(pending, ctx.settings.concurrency, async (id) => {
      const outcome = await cancelOrder(ctx, id, reason);
      if (outcome === "canceled") canceled++;
      else if (outcome === "already-gone") alreadyGone++;
      else if (ctx.orders.has(id)) retry.push(id);
    });
    const left = endsAt - performance.now();
    if (retry.length === 0 || left <= 0 || signal.aborted) {
      failed.push(...retry);
      break;
    }
    await delayEndingOnAbort(Math.min(backoff, left), { signal });
    backoff = Math.min(backoff * 2, 1_000);
    pending = retry;
  }
  return { canceled, alreadyGone, failed };
}
