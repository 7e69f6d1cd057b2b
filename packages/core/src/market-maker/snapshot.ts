import { formatDecimal, normalize } from "../decimal.ts";
import { unrealized } from "../risk/pnl.ts";
import { describeRisk } from "../risk/risk-settings.ts";
import type { MarketMakerContext } from "./context.ts";
import type { MarketMakerSnapshot, QuotingState, RiskSnapshot } from "./types.ts";

export function quotingState(ctx: MarketMakerContext): QuotingState {
  if (ctx.halt) return "halted";
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
    strategy: settings.strategy.name,
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
    risk: riskSnapshot(ctx),
  };
}

function riskSnapshot(ctx: MarketMakerContext): RiskSnapshot {
  const pnl = ctx.ledger.pnl;
  const mark = ctx.lastPrice?.price;
  return {
    ...describeRisk(ctx.risk),
    position: pnl.position,
    realized: pnl.realized,
    ...(mark === undefined ? {} : { unrealized: formatDecimal(normalize(unrealized(pnl, mark))) }),
    fees: pnl.fees,
    costBasis: pnl.costBasis,
    ...(ctx.peak === undefined ? {} : { peak: ctx.peak }),
    ...(ctx.halt ? { halted: { ...ctx.halt } } : {}),
    pnl,
  };
}
