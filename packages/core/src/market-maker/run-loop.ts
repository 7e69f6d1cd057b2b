import { delayEndingOnAbort } from "../async/delay.ts";
import type { Mutex } from "../async/mutex.ts";
import type { PriceTick } from "../ports.ts";
import { cancelEverything } from "./cancel-everything.ts";
import { asError, type MarketMakerContext } from "./context.ts";
import type { StopSummary } from "./events.ts";
import { nextSlot } from "./next-slot.ts";
import { runFillReaction, runFullCycle, runTickRequote } from "./quote-cycle.ts";
import { createRequoteTrigger, priceMovedBeyond, type RequoteTrigger } from "./requote-trigger.ts";
import { applyStreamFill, streaming } from "./stream-fills.ts";

/** Whether a pushed tick should requote now (checked again once it holds the lock). */
function tickWanted(ctx: MarketMakerContext, tick: PriceTick, stopSignal: AbortSignal): boolean {
  if (stopSignal.aborted || ctx.paused) return false;
  // Until a full cycle has checked the venue (and while it is unreachable or its book is
  // missing), the interval cycle owns recovery, with its back-off.
  if (!ctx.venueChecked || ctx.venue === "lost") return false;
  if (ctx.ports.clock.now() - tick.receivedAt > ctx.settings.maxPriceAgeMs) return false;
  return priceMovedBeyond(ctx.builtOn, tick.price, ctx.params.refreshTolerancePercent);
}

/** Requotes on the feed's pushed ticks, when it pushes; undefined when it does not. */
function followTicks(
  ctx: MarketMakerContext,
  mutex: Mutex,
  stopSignal: AbortSignal,
): { trigger: RequoteTrigger; unsubscribe: () => void } | undefined {
  const { feed, clock } = ctx.ports;
  if (!feed.subscribe) return undefined;
  const trigger = createRequoteTrigger({
    now: () => clock.now(),
    minIntervalMs: () => ctx.params.minRequoteIntervalMs,
    wanted: (tick) => tickWanted(ctx, tick, stopSignal),
    requote: (tick) =>
      mutex.run(async () => {
        // A full cycle may have run while this waited for the lock.
        if (!tickWanted(ctx, tick, stopSignal)) return undefined;
        try {
          // When it really started: the next requote counts its interval from there.
          return (await runTickRequote(ctx, tick, stopSignal)).startedAt;
        } catch (error) {
          ctx.emit({ type: "error", stage: "cycle", error: asError(error) });
          return undefined;
        }
      }),
  });
  const stopListening = feed.subscribe.call(feed, ctx.settings.symbol, (tick) => {
    // Every tick counts for volatility, not only those a requote is made on.
    ctx.prices.record(
      { at: tick.receivedAt, price: tick.price },
      ctx.params.strategy.volatilityWindowMs,
    );
    trigger.offer(tick);
  });
  return { trigger, unsubscribe: unsubscribeOnce(ctx, stopListening) };
}

/**
 * Books the fills the trade stream reports as they arrive, and reacts to them (risk, a
 * new ladder) through the lock, at most one reaction per `minRequoteIntervalMs`; fills
 * arriving meanwhile coalesce into the next reaction. Undefined without a fill feed.
 */
function followFills(
  ctx: MarketMakerContext,
  mutex: Mutex,
  stopSignal: AbortSignal,
): { trigger: RequoteTrigger<number>; unsubscribe: () => void } | undefined {
  const { fills, clock } = ctx.ports;
  if (!fills) return undefined;
  const wanted = () => !stopSignal.aborted && ctx.venueChecked && ctx.venue !== "lost";
  // The earliest arrival among the fills one reaction answers: its latency is from there.
  let firstWaiting: number | undefined;
  const trigger = createRequoteTrigger<number>({
    now: () => clock.now(),
    minIntervalMs: () => ctx.params.minRequoteIntervalMs,
    wanted,
    requote: () =>
      mutex.run(async () => {
        const receivedAt = firstWaiting ?? clock.now();
        firstWaiting = undefined;
        if (!wanted()) return undefined;
        try {
          return (await runFillReaction(ctx, receivedAt, stopSignal)).startedAt;
        } catch (error) {
          ctx.emit({ type: "error", stage: "cycle", error: asError(error) });
          return undefined;
        }
      }),
  });
  const stopListening = fills.subscribe.call(fills, ctx.settings.symbol, (fill) => {
    applyStreamFill(ctx, fill).then(
      (booked) => {
        if (!booked) return;
        // The live ladder was built for another position: the next tick rebuilds it too.
        ctx.builtOn = undefined;
        firstWaiting ??= fill.receivedAt;
        trigger.offer(fill.receivedAt);
      },
      (error: unknown) => ctx.emit({ type: "error", stage: "cycle", error: asError(error) }),
    );
  });
  return { trigger, unsubscribe: unsubscribeOnce(ctx, stopListening) };
}

/**
 * Full cycles every `intervalMs` (the first at once; back-off while the venue is lost;
 * optionally on the interval grid), requotes on pushed ticks in between, and once
 * `stopSignal` aborts: cancel everything within the shutdown deadline.
 */
export async function runLoop(
  ctx: MarketMakerContext,
  mutex: Mutex,
  stopSignal: AbortSignal,
): Promise<StopSummary> {
  const { settings } = ctx;
  const { intervalMs, maxBackoffMs, shutdownTimeoutMs } = settings;
  let venueFailures = 0;
  let scheduledSlot: number | undefined;
  let disarm: (() => void) | undefined;
  let endsAt = Number.POSITIVE_INFINITY;
  const onStop = () => {
    const armed = ctx.deadline.arm(shutdownTimeoutMs);
    disarm = armed.disarm;
    endsAt = armed.endsAt;
  };
  if (stopSignal.aborted) onStop();
  else stopSignal.addEventListener("abort", onStop, { once: true });
  const ticks = stopSignal.aborted ? undefined : followTicks(ctx, mutex, stopSignal);
  const fills = stopSignal.aborted ? undefined : followFills(ctx, mutex, stopSignal);
  try {
    while (!stopSignal.aborted) {
      const started = performance.now();
      const startedAt = ctx.ports.clock.now();
      try {
        const report = await mutex.run(() => runFullCycle(ctx, stopSignal));
        venueFailures =
          report.outcome === "venue-error" && ctx.venue === "lost" ? venueFailures + 1 : 0;
      } catch (error) {
        ctx.emit({ type: "error", stage: "cycle", error: asError(error) });
      }
      const wait =
        venueFailures > 0
          ? Math.min(intervalMs * 2 ** (venueFailures - 1), Math.max(maxBackoffMs, intervalMs))
          : intervalMs;
      if (settings.alignToInterval) {
        const next = nextSlot({
          now: ctx.ports.clock.now(),
          startedAt,
          minWaitMs: venueFailures > 0 ? wait : 0,
          intervalMs,
          scheduledSlot,
        });
        scheduledSlot = next.slot;
        if (next.missedSlots !== undefined) ctx.missedSlots = next.missedSlots;
        await delayEndingOnAbort(next.waitMs, { signal: stopSignal });
      } else await delayEndingOnAbort(started + wait - performance.now(), { signal: stopSignal });
    }
    ticks?.unsubscribe();
    await ticks?.trigger.stop();
    // Fills still arriving while we cancel are booked (the listener stays) but not reacted to.
    await fills?.trigger.stop();
    const summary = await mutex.run(() => cancelEverything(ctx, endsAt, "shutdown"));
    await readFillsToEnd(ctx, endsAt);
    ctx.emit({ type: "stopped", summary });
    return summary;
  } finally {
    ticks?.unsubscribe();
    fills?.unsubscribe();
    stopSignal.removeEventListener("abort", onStop);
    disarm?.();
  }
}

/**
 * After the last cancel no order of ours can trade again, but the trades of its last
 * moments may still be on their way: the stream is read to its end (within the shutdown's
 * time) so they are booked now, and the position the run ends with is the venue's.
 */
async function readFillsToEnd(ctx: MarketMakerContext, endsAt: number): Promise<void> {
  const fills = ctx.ports.fills;
  if (!fills?.readToEnd || !streaming(ctx) || performance.now() >= endsAt) return;
  try {
    // The shutdown deadline bounds it, as it does the cancels.
    await fills.readToEnd.call(fills, { signal: ctx.deadline.signal });
  } catch (error) {
    ctx.emit({ type: "error", stage: "cycle", error: asError(error) });
  }
}

/** Stops listening once; an error of the port's is reported, not thrown at the loop. */
function unsubscribeOnce(ctx: MarketMakerContext, stopListening: () => void): () => void {
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    try {
      stopListening();
    } catch (error) {
      ctx.emit({ type: "error", stage: "cycle", error: asError(error) });
    }
  };
}
