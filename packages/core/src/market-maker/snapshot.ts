import type { MarketMakerContext } from "./context.ts";
import type { MarketMakerSnapshot, QuotingState } from "./types.ts";

export function quotingState(ctx: MarketMakerContext): QuotingState {
  if (ctx.paused) return "paused";
  return ctx.quotesPulled ? "pulled" : "quoting";
}

/** Everything an operator or a status page wants to know, as plain data. */
export function takeSnapshot(ctx: MarketMakerContext, running: boolean): MarketMakerSnapshot {
  const { settings, lastPrice } = ctx;
  const counts = ctx.orders.counts();
  return {
    symbol: settings.symbol,
    book: settings.book,
    marketMakerId: settings.marketMakerId,
    mode: settings.requoter.name,
    running,
    cycles: ctx.cycles,
    ...(ctx.lastCycle ? { lastCycle: ctx.lastCycle } : {}),
    ...(lastPrice
      ? {
          lastPrice: {
            price: lastPrice.price,
            source: lastPrice.source,
            receivedAt: lastPrice.receivedAt,
          },
        }
      : {}),
    quotesPulled: ctx.quotesPulled,
    state: quotingState(ctx),
    ...(ctx.paused && ctx.pausedReason !== undefined ? { pausedReason: ctx.pausedReason } : {}),
    venue: ctx.venue,
    orders: ctx.orders.views(),
    live: counts.live,
    uncertain: counts.uncertain,
    ...ctx.ledger.totals(),
  };
}
