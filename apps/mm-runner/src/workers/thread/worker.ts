/**
 * One symbol's worker thread: core's market-maker loop with its own journal, a price feed
 * and a venue gateway that both ask the main thread (which keeps the one price feed and
 * the one gRPC channel of the process). It logs nothing itself: every event goes to the
 * main thread, which logs it with the symbol, counts it and keeps the status.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import {
  applyRisk,
  ConfigError,
  createMarketMaker,
  type MarketMakerEvent,
  parseOrderId,
  parseRisk,
} from "@matchingo-mm/core";
import { ladderParamsOf } from "../../config/ladder-params.ts";
import { strategyOptionsOf } from "../../config/strategy-check.ts";
import { openFileJournal } from "../../journal/file-journal.ts";
import { eventToWire } from "../wire/events.ts";
import {
  type ControlResult,
  type HostApi,
  PLAN_STEPS,
  type WorkerApi,
  type WorkerInit,
} from "../wire/protocol.ts";
import { exposeOnPort, portClient } from "../wire/rpc.ts";
import { enterRunning, type StartGate } from "../wire/start-gate.ts";
import { toWireError } from "../wire/wire-error.ts";
import { createThreadFeed, priceAborted } from "./feed.ts";
import { createThreadFills } from "./fills.ts";
import { createThreadGateway, venueCallAborted, venueCallUnanswered } from "./gateway.ts";
import { startHeapReports } from "./heap-report.ts";
import { createSnapshotGate } from "./snapshot-gate.ts";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread (started by the supervisor)");
const { init, gate } = workerData as { init: WorkerInit; gate?: StartGate };
const { symbol: config } = init;

const mainThread = portClient<HostApi>(port, {
  // A plan's phase crosses as one message and comes back as one.
  together: PLAN_STEPS,
  abortError: (method, reason) =>
    method === "price" ? priceAborted(config.symbol, reason) : venueCallAborted(method, reason),
});
const report = mainThread.notify;
const snapshots = createSnapshotGate();
const feed = createThreadFeed(mainThread.call, { pushed: init.pushedTicks === true });
const gateway = createThreadGateway(mainThread.call);
const fills = init.fillStream
  ? createThreadFills(init.fillStream.live, (options) =>
      mainThread.call.fillsToEnd({ symbol: config.symbol }, options),
    )
  : undefined;
const controller = new AbortController();
startHeapReports(report.heap);

const api: WorkerApi = {
  pause: (request) => control(() => pause(request.reason)),
  resume: () =>
    control(async () => {
      marketMaker.resume();
      return { ok: true, params: marketMaker.params() };
    }),
  params: (request) =>
    control(async () => {
      applyBoth(request.params, request.risk);
      return { ok: true, params: marketMaker.params() };
    }),
  tick: (tick) => feed.push(tick),
  fill(fill) {
    // Core books it synchronously (its fill event is reported first): then the main thread
    // may move the stream's resume point past it.
    if (fills?.push(fill) && fill.key !== undefined) report.fillSeen({ key: fill.key });
  },
  fillStream: ({ live }) => fills?.setLive(live),
  stop: () => controller.abort(new Error("shutdown")),
};
const exposed = exposeOnPort(port, api);

/**
 * Operator control: what the status shows goes first, then the answer (once a pause is
 * answered, the orders it cancelled are gone from /status, the page and mm_live_orders
 * too); a refused change lists every problem.
 */
async function control(change: () => Promise<ControlResult>): Promise<ControlResult> {
  let result: ControlResult;
  try {
    result = await change();
  } catch (error) {
    result = {
      ok: false,
      error: toWireError(error),
      ...(error instanceof ConfigError
        ? {
            problems: error.problems.map((p) => ({
              field: p.field,
              value: typeof p.value === "bigint" ? String(p.value) : p.value,
              message: p.message,
            })),
          }
        : {}),
    };
  }
  const snapshot = marketMaker.snapshot();
  snapshots.changed(snapshot);
  report.snapshot(snapshot);
  return result;
}

/**
 * A cycle under way when the pause came may pull the quotes itself (it sees the paused
 * flag first): its cancels count too, so the answer says what the pause did.
 */
async function pause(reason: string | undefined): Promise<ControlResult> {
  const counted = { canceled: 0, alreadyGone: 0 };
  pauseCounts.add(counted);
  let summary: Awaited<ReturnType<typeof marketMaker.pause>>;
  try {
    summary = await marketMaker.pause(reason);
  } finally {
    pauseCounts.delete(counted);
  }
  return {
    ok: true,
    summary: { ...counted, failed: [...summary.failed] },
    params: marketMaker.params(),
  };
}

/**
 * Quoting parameters and risk rules together, both or neither: the risk patch is checked
 * against the rules in effect first (without applying it), then the parameters are
 * applied (core refuses bad ones whole), then the already-checked risk patch.
 */
function applyBoth(
  params: Parameters<WorkerApi["params"]>[0]["params"],
  risk: Parameters<WorkerApi["params"]>[0]["risk"],
): void {
  const hasRisk = risk !== undefined && Object.keys(risk).length > 0;
  if (hasRisk) applyRisk(parseRisk(marketMaker.risk()), risk);
  if (Object.keys(params).length > 0) marketMaker.updateParams(params);
  if (hasRisk) marketMaker.updateRisk(risk);
}

/** Pauses under way: each counts the quotes pulled for it (see `control`). */
const pauseCounts = new Set<{ canceled: number; alreadyGone: number }>();

/** Steps of a plan's phase started at once in the worker: all of them (see `concurrency`). */
const WHOLE_PHASE = 1_000;

/** How often the journal's file is checked to still be ours (the state watch's pace). */
const JOURNAL_CHECK_MS = 1000;

const journal = openFileJournal(init.journalPath, {
  onLost: (message) => report.stateLost({ message }),
});
// Noticed between orders too, not only at the next one (see FileJournal.verify).
const journalCheck = setInterval(() => journal.verify(), JOURNAL_CHECK_MS);
journalCheck.unref();
// Order ids carry a timestamp: never reuse one an earlier run may still have in the journal.
const timestampAfter = Math.max(
  0,
  ...journal.openOrders().map((entry) => parseOrderId(entry.id)?.timestamp ?? 0),
);

/**
 * How long a create that timed out may still be carried out by the venue: it gave up on
 * our side at the deadline, not necessarily on the venue's. Until then a cancel that finds
 * it missing does not settle it; it is cancelled again each cycle.
 */
function uncertainGraceMs(deadlineMs: number): number {
  return Math.max(10_000, 2 * deadlineMs);
}

const marketMaker = createMarketMaker({
  symbol: config.symbol,
  book: config.book,
  marketMakerId: config.marketMakerId,
  ladder: ladderParamsOf(config),
  intervalMs: config.updateIntervalMs,
  // Every worker on one interval cycles on the same grid: they ask the main thread for
  // prices within a few ms of each other, and its shared feed sends one request per source.
  alignToInterval: true,
  // A plan's phase is started whole, so its steps cross to the main thread in one message;
  // the main thread bounds what it has in flight on the channel (host/venue-api.ts).
  concurrency: WHOLE_PHASE,
  requoteMode: config.requoteMode,
  ...strategyOptionsOf(config),
  refreshTolerancePercent: config.refreshTolerancePercent,
  minRequoteIntervalMs: config.minRequoteIntervalMs,
  maxPriceAgeMs: config.maxPriceAgeMs,
  shutdownTimeoutMs: init.shutdownTimeoutMs,
  timestampAfter,
  uncertainGraceMs: uncertainGraceMs(init.venue.deadlineMs),
  risk: {
    ...(config.maxPosition === undefined ? {} : { maxPosition: config.maxPosition }),
    inventorySkewPercent: config.inventorySkewPercent,
    makerFeeBps: config.makerFeeBps,
    ...(config.maxLoss === undefined ? {} : { maxLoss: config.maxLoss }),
    ...(config.maxDrawdown === undefined ? {} : { maxDrawdown: config.maxDrawdown }),
  },
  restored: init.restored,
  ...(fills
    ? {
        fills,
        ...(init.restoredOrders ? { restoredOrders: init.restoredOrders } : {}),
        // The stream reports fills: live orders are polled only now and then, to catch
        // what it missed (which it should not).
        reconcileIntervalMs: Math.max(60_000, config.updateIntervalMs),
      }
    : {}),
  ...(init.halted === undefined ? {} : { halted: init.halted }),
  feed,
  gateway,
  journal,
  ...(init.createOrderBook ? { ensureBook: () => gateway.ensureBook(config.book) } : {}),
  onEvent(event: MarketMakerEvent) {
    report.event(eventToWire(event));
    if (event.type === "order-canceled" && event.reason === "pause") {
      for (const counted of pauseCounts) {
        if (event.outcome === "canceled") counted.canceled++;
        else counted.alreadyGone++;
      }
    }
    if (
      event.type === "cycle" ||
      event.type === "fill" ||
      event.type === "halted" ||
      event.type === "paused" ||
      event.type === "resumed"
    ) {
      const snapshot = marketMaker.snapshot();
      if (snapshots.changed(snapshot)) report.snapshot(snapshot);
    }
  },
});

report.log({
  level: "info",
  msg: `worker thread ${threadId} quoting ${config.symbol} on book ${config.book} as ${config.marketMakerId}`,
  fields: {
    threadId,
    marketMakerId: config.marketMakerId,
    mode: config.requoteMode,
    strategy: config.strategy,
  },
});

// What an operator changed before this worker was (re)started holds from its first cycle:
// both are applied before `run`, so a paused symbol never places an order.
if (init.params !== undefined || init.risk !== undefined) {
  try {
    applyBoth(init.params ?? {}, init.risk);
  } catch (error) {
    report.log({
      level: "error",
      msg: "could not apply the parameters changed while running; quoting on the configured ones",
      error: toWireError(error),
    });
  }
}
// Its promise only settles the (empty) cancel; the paused flag is set at once.
if (init.paused !== undefined) {
  marketMaker
    .pause(init.paused.reason)
    .catch((error: unknown) =>
      report.log({ level: "error", msg: "could not start paused", error: toWireError(error) }),
    );
}

try {
  // The supervisor may have stopped us while we were still loading: then never start.
  const running =
    gate === undefined || enterRunning(gate) ? marketMaker.run(controller.signal) : undefined;
  // Fills that arrived while the loop was starting were handed to it as it subscribed.
  for (const fill of fills?.takeHanded() ?? []) {
    if (fill.key !== undefined) report.fillSeen({ key: fill.key });
  }
  const summary = running ? await running : { canceled: 0, alreadyGone: 0, failed: [] };
  report.stopped({
    canceled: summary.canceled,
    alreadyGone: summary.alreadyGone,
    failed: [...summary.failed],
  });
} catch (error) {
  report.failed(toWireError(error));
  process.exitCode = 1;
} finally {
  clearInterval(journalCheck);
  const stopping = new Error("worker stopping");
  feed.close();
  mainThread.close((method) => (method === "price" ? stopping : venueCallUnanswered(stopping)));
  exposed.close(stopping);
  journal.close();
  // What was reported last (stopped, failed) goes before the port closes.
  await new Promise<void>((resolve) => process.nextTick(resolve));
  port.close();
}
