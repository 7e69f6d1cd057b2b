import type { PriceTick } from "../ports.ts";
import type { MarketMakerContext } from "./context.ts";
import type { CycleOutcome, CycleReport, CycleTrigger, RpcCounts } from "./events.ts";

export interface CycleStart {
  readonly cycle: number;
  readonly trigger: CycleTrigger;
  /** Clock ms since the epoch. */
  readonly startedAt: number;
  /** performance.now(), for the duration. */
  readonly started: number;
  /** A fill reaction: when its earliest fill arrived. */
  readonly fillReceivedAt?: number;
}

/** Opens a cycle: numbers it and resets the per-cycle counts. */
export function startCycle(
  ctx: MarketMakerContext,
  trigger: CycleTrigger,
  fillReceivedAt?: number,
): CycleStart {
  const startedAt = ctx.ports.clock.now();
  ctx.firstCycleAt ??= startedAt;
  ctx.cycles++;
  ctx.stats = {
    placed: 0,
    canceled: 0,
    failed: 0,
    skipped: 0,
    fills: 0,
    rpcs: { placeOrder: 0, cancelOrder: 0, getOrder: 0, getBook: 0 },
  };
  return {
    cycle: ctx.cycles,
    trigger,
    startedAt,
    started: performance.now(),
    ...(fillReceivedAt === undefined ? {} : { fillReceivedAt }),
  };
}

/** Closes a cycle: its report, kept as the last one and emitted as a `cycle` event. */
export function finishCycle(
  ctx: MarketMakerContext,
  start: CycleStart,
  outcome: CycleOutcome,
  price: PriceTick | undefined,
  kept: number,
): CycleReport {
  const { stats, settings } = ctx;
  const counts = ctx.orders.counts();
  const rpcs: RpcCounts = {
    ...stats.rpcs,
    total: Object.values(stats.rpcs).reduce((a, b) => a + b, 0),
  };
  const report: CycleReport = {
    cycle: start.cycle,
    trigger: start.trigger,
    symbol: settings.symbol,
    book: settings.book,
    mode: settings.requoter.name,
    outcome,
    startedAt: start.startedAt,
    durationMs: Math.max(0, performance.now() - start.started),
    ...(price
      ? { price: price.price, source: price.source, priceReceivedAt: price.receivedAt }
      : {}),
    ...(start.fillReceivedAt === undefined ? {} : { fillReceivedAt: start.fillReceivedAt }),
    ...ctx.orders.bestPrices(),
    placed: stats.placed,
    canceled: stats.canceled,
    kept,
    failed: stats.failed,
    skipped: stats.skipped,
    fills: stats.fills,
    rpcs,
    live: counts.live,
    uncertain: counts.uncertain,
    ...(ctx.missedSlots > 0 ? { missedSlots: ctx.missedSlots } : {}),
  };
  ctx.missedSlots = 0;
  ctx.lastCycle = report;
  const { symbol: _s, book: _b, ...rest } = report;
  ctx.emit({ type: "cycle", ...rest });
  return report;
}
