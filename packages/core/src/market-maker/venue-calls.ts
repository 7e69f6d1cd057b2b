import { asError, isLost, type MarketMakerContext, type RpcMethod } from "./context.ts";

/**
 * Makes one gateway call, counting it and following the venue's reachability: the first
 * failure to reach it emits `venue-state: lost`, the first success after emits `back`.
 */
export async function callVenue<T>(
  ctx: MarketMakerContext,
  method: RpcMethod,
  run: () => Promise<T>,
): Promise<T> {
  ctx.stats.rpcs[method]++;
  try {
    const result = await run();
    if (ctx.venue === "lost") ctx.emit({ type: "venue-state", state: "back" });
    ctx.venue = "up";
    return result;
  } catch (error) {
    if (isLost(error)) {
      if (ctx.venue !== "lost") {
        ctx.emit({ type: "venue-state", state: "lost", error: asError(error) });
      }
      ctx.venue = "lost";
    }
    throw error;
  }
}
