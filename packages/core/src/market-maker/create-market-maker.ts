import { callListener } from "../async/call-listener.ts";
import { Mutex } from "../async/mutex.ts";
import { createTimestamps } from "../order-id.ts";
import { systemClock } from "../ports.ts";
import { applyRisk, describeRisk } from "../risk/risk-settings.ts";
import { cancelEverything } from "./cancel-everything.ts";
import { type MarketMakerContext, newStats } from "./context.ts";
import type { MarketMakerEvent, StopSummary } from "./events.ts";
import { createFillLedger } from "./fill-ledger.ts";
import { parseOptions, positiveInteger } from "./parse-options.ts";
import { createPriceHistory } from "./price-history.ts";
import { runFullCycle } from "./quote-cycle.ts";
import { applyQuoteParams, describeQuoteParams } from "./quote-params.ts";
import { runLoop } from "./run-loop.ts";
import { createSettledOrders } from "./settled-orders.ts";
import { createShutdownDeadline } from "./shutdown-deadline.ts";
import { takeSnapshot } from "./snapshot.ts";
import { createTrackedOrders } from "./tracked-orders.ts";
import type { MarketMaker, MarketMakerOptions } from "./types.ts";

/**
 * The quoting loop: price feed → ladder → plan → gateway, a full cycle every
 * `intervalMs` and, with a pushing feed, a requote on each price move; never two at
 * once, tracking every order id until it is known gone.
 */
export function createMarketMaker(options: MarketMakerOptions): MarketMaker {
  const { settings, params, risk } = parseOptions(options);
  const clock = options.clock ?? systemClock;
  const { symbol, book } = settings;
  const { onEvent } = options;
  const ctx: MarketMakerContext = {
    settings,
    ports: {
      feed: options.feed,
      gateway: options.gateway,
      clock,
      ...(options.journal ? { journal: options.journal } : {}),
      ...(options.fills ? { fills: options.fills } : {}),
      ...(options.ensureBook ? { ensureBook: options.ensureBook } : {}),
    },
    orders: createTrackedOrders(),
    settled: createSettledOrders(),
    streamKeys: new Set(),
    ledger: createFillLedger(options.restored),
    deadline: createShutdownDeadline(),
    prices: createPriceHistory(),
    timestamps: createTimestamps({ clock, after: settings.timestampAfter }),
    emit(event) {
      if (!onEvent) return;
      // A listener's failure must not stop quoting or lose track of orders.
      callListener(onEvent, { symbol, book, time: clock.now(), ...event } as MarketMakerEvent);
    },
    params,
    risk,
    ...(options.halted === undefined
      ? {}
      : { halt: { reason: options.halted, since: clock.now() }, pausedReason: options.halted }),
    stats: newStats(),
    venue: "unknown",
    bookSeen: false,
    venueChecked: false,
    cycles: 0,
    missedSlots: 0,
    quotesPulled: false,
    paused: options.halted !== undefined,
  };
  if (options.restoredOrders) ctx.settled.restore(options.restoredOrders);
  // Never two cycles (or a cycle and a cancel-all) at once.
  const mutex = new Mutex();
  let running: Promise<StopSummary> | undefined;
  let stopController: AbortController | undefined;

  function cancelAll(
    cancelOptions: { readonly timeoutMs?: number } = {},
    reason: "shutdown" | "pause" = "shutdown",
  ): Promise<StopSummary> {
    const timeoutMs = positiveInteger(
      "timeoutMs",
      cancelOptions.timeoutMs,
      settings.shutdownTimeoutMs,
    );
    return mutex.run(async () => {
      const { endsAt, disarm } = ctx.deadline.arm(timeoutMs);
      try {
        return await cancelEverything(ctx, endsAt, reason);
      } finally {
        disarm();
      }
    });
  }

  return {
    run(signal) {
      if (running) return Promise.reject(new Error(`market maker ${symbol} is already running`));
      const controller = new AbortController();
      stopController = controller;
      if (signal) {
        if (signal.aborted) controller.abort(signal.reason);
        else
          signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
      }
      running = runLoop(ctx, mutex, controller.signal).finally(() => {
        running = undefined;
        stopController = undefined;
      });
      return running;
    },
    runCycle(signal) {
      return mutex.run(() => runFullCycle(ctx, signal));
    },
    cancelAll: (cancelOptions) => cancelAll(cancelOptions),
    stop() {
      if (running && stopController) {
        stopController.abort(new Error("stopped"));
        return running;
      }
      return cancelAll();
    },
    pause(reason) {
      ctx.paused = true;
      if (reason === undefined) delete ctx.pausedReason;
      else ctx.pausedReason = reason;
      ctx.builtOn = undefined;
      ctx.emit({ type: "paused", ...(reason === undefined ? {} : { reason }) });
      return cancelAll({}, "pause");
    },
    resume() {
      if (!ctx.paused) return;
      const halted = ctx.halt?.reason;
      ctx.paused = false;
      delete ctx.pausedReason;
      delete ctx.halt;
      // MAX_DRAWDOWN counts from the peak after the resume; MAX_LOSS still from the total.
      delete ctx.peak;
      ctx.emit({ type: "resumed", ...(halted === undefined ? {} : { halted }) });
    },
    updateParams(patch) {
      ctx.params = applyQuoteParams(ctx.params, patch);
      // Whatever the price does, the next tick rebuilds the ladder on the new parameters.
      ctx.builtOn = undefined;
      ctx.emit({ type: "params-changed", params: describeQuoteParams(ctx.params) });
    },
    updateRisk(patch) {
      ctx.risk = applyRisk(ctx.risk, patch);
      // The next requote trims and skews on the new rules; the next fill or price checks
      // the new loss limits.
      ctx.builtOn = undefined;
      ctx.emit({ type: "risk-changed", risk: describeRisk(ctx.risk) });
    },
    risk: () => describeRisk(ctx.risk),
    params: () => describeQuoteParams(ctx.params),
    snapshot: () => takeSnapshot(ctx, running !== undefined),
  };
}
