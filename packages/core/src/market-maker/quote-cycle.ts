import { type Decimal, parseDecimal } from "../decimal.ts";
import { PriceError } from "../errors.ts";
import type { Ladder } from "../ladder.ts";
import { formatOrderId } from "../order-id.ts";
import { type Plan, planCancelAll } from "../planner.ts";
import type { PriceTick } from "../ports.ts";
import { holdPlacesWithinLimit } from "../risk/limit-plan.ts";
import { asError, isLost, type MarketMakerContext } from "./context.ts";
import { type CycleStart, finishCycle, startCycle } from "./cycle-report.ts";
import type { CycleOutcome, CycleReport } from "./events.ts";
import { executePlan } from "./execute-plan.ts";
import { checkKillSwitch } from "./loss-check.ts";
import { quoteTarget } from "./quote-target.ts";
import { reactToRisk } from "./risk-reaction.ts";
import { checkVenue } from "./venue-watch.ts";

/** A tick older than `maxPriceAgeMs` becomes a `PriceError` of kind `stale`. */
export function freshOrStale(ctx: MarketMakerContext, tick: PriceTick): PriceTick | PriceError {
  const { symbol, maxPriceAgeMs } = ctx.settings;
  const age = ctx.ports.clock.now() - tick.receivedAt;
  if (age <= maxPriceAgeMs) return tick;
  return new PriceError(`price for ${symbol} is ${age} ms old (max ${maxPriceAgeMs})`, {
    kind: "stale",
    source: tick.source,
    symbol,
  });
}

async function askPrice(
  ctx: MarketMakerContext,
  signal: AbortSignal | undefined,
): Promise<PriceTick | Error> {
  try {
    return freshOrStale(ctx, await ctx.ports.feed.latest(ctx.settings.symbol, { signal }));
  } catch (error) {
    return asError(error);
  }
}

/**
 * The full cycle: check the venue and poll fills while the price is asked for, then
 * quote on it (or keep, pull, or hold the quotes when there is none).
 */
export async function runFullCycle(
  ctx: MarketMakerContext,
  signal: AbortSignal | undefined,
): Promise<CycleReport> {
  const start = startCycle(ctx, "interval");
  const pricePromise = askPrice(ctx, signal);
  try {
    await checkVenue(ctx);
    ctx.venueChecked = true;
    // Fills just polled may have reached the limit or tripped the kill switch: act on
    // them before anything else is planned.
    await reactToRisk(ctx);
  } catch (error) {
    ctx.venueChecked = false;
    await pricePromise;
    if (!isLost(error)) ctx.emit({ type: "error", stage: "venue-check", error: asError(error) });
    return finishCycle(ctx, start, "venue-error", undefined, 0);
  }
  return quoteOn(ctx, start, await pricePromise, signal);
}

/** A requote on a pushed tick: no venue check, no fill polling, just the new ladder. */
export function runTickRequote(
  ctx: MarketMakerContext,
  tick: PriceTick,
  signal: AbortSignal | undefined,
): Promise<CycleReport> {
  const start = startCycle(ctx, "tick");
  return quoteOn(ctx, start, freshOrStale(ctx, tick), signal);
}

/**
 * The reaction to fills the stream reported: the risk reaction (halt, limit), then a new
 * ladder on the last accepted price for the new position (refill, trim, skew). Without a
 * fresh price only the risk reaction runs; the next tick or cycle requotes.
 */
export async function runFillReaction(
  ctx: MarketMakerContext,
  fillReceivedAt: number,
  signal: AbortSignal | undefined,
): Promise<CycleReport> {
  const start = startCycle(ctx, "fill", fillReceivedAt);
  await reactToRisk(ctx);
  const tick = ctx.lastPrice;
  if (tick === undefined || ctx.paused) {
    return finishCycle(
      ctx,
      start,
      ctx.halt ? "halted" : ctx.paused ? "paused" : "price-error",
      undefined,
      0,
    );
  }
  return quoteOn(ctx, start, freshOrStale(ctx, tick), signal);
}

async function quoteOn(
  ctx: MarketMakerContext,
  start: CycleStart,
  price: PriceTick | Error,
  signal: AbortSignal | undefined,
): Promise<CycleReport> {
  const { clock } = ctx.ports;
  const { settings } = ctx;
  const params = ctx.params;
  // Fills learned after this point (while the plan runs) change the position the ladder
  // was built for: the next pushed tick must rebuild it even if the price stood still.
  const fillsAtPlan = ctx.ledger.fills;
  let ladder: Ladder | Error | undefined;
  if (!(price instanceof Error)) {
    const now = clock.now();
    const windowMs = params.strategy.volatilityWindowMs;
    ctx.prices.record({ at: price.receivedAt, price: price.price }, windowMs);
    try {
      ladder = quoteTarget({
        price: price.price,
        params,
        position: ctx.ledger.position,
        risk: ctx.risk,
        strategy: settings.strategy,
        symbol: settings.symbol,
        prices: ctx.prices.window(now, windowMs),
        now,
      });
    } catch (error) {
      ladder = asError(error);
      ctx.emit({ type: "ladder-error", price: String(price.price), error: ladder });
    }
  } else if (!signal?.aborted) {
    // (A fetch cut short by our own stop is not a price problem worth reporting.)
    const since = ctx.lastGoodPriceAt;
    ctx.emit({
      type: "price-error",
      error: price,
      ...(since === undefined ? {} : { priceAgeMs: clock.now() - since }),
    });
  }

  let outcome: CycleOutcome = "quoted";
  let plan: Plan;
  let kept = 0;
  let quoted: PriceTick | undefined;
  if (ladder !== undefined && !(ladder instanceof Error) && !(price instanceof Error)) {
    ctx.lastPrice = price;
    ctx.lastGoodPriceAt = clock.now();
    // Unrealized P&L moves with the mark: a falling price alone can trip the kill switch.
    checkKillSwitch(ctx);
    if (ctx.paused) {
      outcome = ctx.halt ? "halted" : "paused";
      plan = planCancelAll(ctx.orders.planInput(), ctx.halt ? "halt" : "pause");
    } else {
      quoted = price;
      if (ctx.quotesPulled) {
        ctx.quotesPulled = false;
        ctx.emit({ type: "quotes-resumed", price: price.price, source: price.source });
      }
      const stamp = ctx.timestamps.next();
      const live = ctx.orders.planInput();
      plan = settings.requoter.plan({
        book: settings.book,
        target: ladder,
        live,
        orderId: (side, level) =>
          formatOrderId({ marketMakerId: settings.marketMakerId, side, level, timestamp: stamp }),
        refreshTolerancePercent: params.refreshTolerancePercent,
      });
      const { maxPosition } = ctx.risk;
      if (maxPosition !== undefined) {
        // Make-before-break must not rest old and new orders beyond the limit at once.
        plan = holdPlacesWithinLimit(plan, live, { position: ctx.ledger.position, maxPosition });
      }
      kept = plan.keep.length;
    }
  } else {
    outcome = price instanceof Error ? "price-error" : "ladder-error";
    const ageMs = clock.now() - (ctx.lastGoodPriceAt ?? ctx.firstCycleAt ?? clock.now());
    // A price the trust rules refuse (a bad first price, a jump no one confirms) may mean
    // the market is elsewhere: quotes left at the old level would be picked off.
    const untrusted = price instanceof PriceError && price.kind === "untrusted";
    if (ageMs > settings.maxPriceAgeMs || untrusted) {
      outcome = "pulled";
      if (!ctx.quotesPulled) {
        ctx.quotesPulled = true;
        ctx.emit({
          type: "quotes-pulled",
          priceAgeMs: ageMs,
          orders: ctx.orders.size,
          ...(untrusted
            ? { reason: "untrusted" as const, detail: price.message }
            : { reason: "stale" as const }),
        });
      }
      plan = planCancelAll(ctx.orders.planInput(), "pull");
    } else if (ctx.paused) {
      outcome = ctx.halt ? "halted" : "paused";
      plan = planCancelAll(ctx.orders.planInput(), ctx.halt ? "halt" : "pause");
    } else {
      // Keep the quotes we have; settle creates whose outcome is unknown.
      plan = planCancelAll(
        ctx.orders.planInput().filter((o) => o.uncertain),
        "uncertain",
      );
    }
  }

  let completed = await executePlan(ctx, plan, signal);
  if (completed) {
    // Fills learned while the plan ran (a create that traded, a cancel that found an
    // order gone) are acted on now, not at the next interval.
    await reactToRisk(ctx);
    completed = !signal?.aborted;
    if (ctx.halt && outcome === "quoted") outcome = "halted";
  }
  const report = finishCycle(ctx, start, completed ? outcome : "aborted", quoted, kept);
  ctx.builtOn =
    ctx.ledger.fills === fillsAtPlan ? liveLadderBuiltOn(report, ctx.builtOn) : undefined;
  return report;
}

/**
 * The price the ladder now live was built on: this cycle's, only if its whole plan went
 * through (otherwise the next tick requotes whatever the price); unchanged when the quotes
 * were kept as they were; none after a pull, a pause or an abort.
 */
function liveLadderBuiltOn(report: CycleReport, before: Decimal | undefined): Decimal | undefined {
  switch (report.outcome) {
    case "quoted":
      return report.price !== undefined && report.failed === 0 && report.skipped === 0
        ? parseDecimal(report.price)
        : undefined;
    case "price-error":
    case "ladder-error":
    case "venue-error":
      return before;
    default:
      return undefined;
  }
}
