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
import { ladderParamsOf } from "../config/ladder-check.ts";
import { strategyOptionsOf } from "../config/strategy-check.ts";
import { openFileJournal } from "../journal/file-journal.ts";
import { startHeapReports } from "./heap-report.ts";
import { createPortFeed } from "./port-feed.ts";
import { createPortFills } from "./port-fills.ts";
import { createPortGateway } from "./port-gateway.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.ts";
import { createSnapshotGate } from "./snapshot-gate.ts";
import { enterRunning, type StartGate } from "./start-gate.ts";
import { eventToWire, toWireError } from "./wire-error.ts";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread (started by the supervisor)");
const { init, gate } = workerData as { init: WorkerInit; gate?: StartGate };
const { symbol: config } = init;

const post = (message: FromWorker) => port.postMessage(message);
const snapshots = createSnapshotGate();
const feed = createPortFeed(port, { pushed: init.pushedTicks === true });
const gateway = createPortGateway(port);
const fills = init.fillStream ? createPortFills(init.fillStream.live) : undefined;
const controller = new AbortController();
startHeapReports(post);

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "price":
      feed.answer(message);
      return;
    case "tick":
      feed.push(message.tick);
      return;
    case "fill":
      // Core books it synchronously (its fill event is posted first): then the main thread
      // may move the stream's resume point past it.
      if (fills?.push(message.fill) && message.fill.key !== undefined) {
        post({ type: "fill-seen", key: message.fill.key });
      }
      return;
    case "fill-stream":
      fills?.setLive(message.live);
      return;
    case "venue-result":
      gateway.answer(message);
      return;
    case "pause":
    case "resume":
    case "params":
      control(message);
      return;
    case "stop":
      controller.abort(new Error("shutdown"));
      return;
  }
});

/** Operator control, answered with the same id; a refused change lists every problem. */
function control(message: Extract<ToWorker, { type: "pause" | "resume" | "params" }>): void {
  const { id } = message;
  // What the status shows goes first, then the answer: once a pause is answered, the
  // orders it cancelled are gone from /status, the page and mm_live_orders too.
  const reply = (result: DistributiveOmit<ControlResult, "type" | "id">) => {
    const snapshot = marketMaker.snapshot();
    snapshots.changed(snapshot);
    post({ type: "snapshot", snapshot });
    post({ type: "control-result", id, ...result } as ControlResult);
  };
  const answer = async () => {
    try {
      if (message.type === "pause") {
        // A cycle under way when the pause came may pull the quotes itself (it sees the
        // paused flag first): its cancels count too, so the answer says what the pause did.
        const counted = { canceled: 0, alreadyGone: 0 };
        pauseCounts.add(counted);
        let summary: Awaited<ReturnType<typeof marketMaker.pause>>;
        try {
          summary = await marketMaker.pause(message.reason);
        } finally {
          pauseCounts.delete(counted);
        }
        reply({
          ok: true,
          summary: { ...counted, failed: [...summary.failed] },
          params: marketMaker.params(),
        });
        return;
      }
      if (message.type === "resume") marketMaker.resume();
      else applyBoth(message.params, message.risk);
      reply({ ok: true, params: marketMaker.params() });
    } catch (error) {
      reply({
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
      });
    }
  };
  void answer();
}

type ControlResult = Extract<FromWorker, { type: "control-result" }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Quoting parameters and risk rules together, both or neither: the risk patch is checked
 * against the rules in effect first (without applying it), then the parameters are
 * applied (core refuses bad ones whole), then the already-checked risk patch.
 */
function applyBoth(
  params: Extract<ToWorker, { type: "params" }>["params"],
  risk: Extract<ToWorker, { type: "params" }>["risk"],
): void {
  const hasRisk = risk !== undefined && Object.keys(risk).length > 0;
  if (hasRisk) applyRisk(parseRisk(marketMaker.risk()), risk);
  if (Object.keys(params).length > 0) marketMaker.updateParams(params);
  if (hasRisk) marketMaker.updateRisk(risk);
}

/** Pauses under way: each counts the quotes pulled for it (see `control`). */
const pauseCounts = new Set<{ canceled: number; alreadyGone: number }>();

/** How often the journal's file is checked to still be ours (the state watch's pace). */
const JOURNAL_CHECK_MS = 1000;

const journal = openFileJournal(init.journalPath, {
  onLost: (message) => post({ type: "state-lost", message }),
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
    post({ type: "event", event: eventToWire(event) });
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
      if (snapshots.changed(snapshot)) post({ type: "snapshot", snapshot });
    }
  },
});

post({
  type: "log",
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
    post({
      type: "log",
      level: "error",
      msg: "could not apply the parameters changed while running; quoting on the configured ones",
      error: toWireError(error),
    });
  }
}
// Its promise only settles the (empty) cancel; the paused flag is set at once.
if (init.paused !== undefined) {
  marketMaker.pause(init.paused.reason).catch((error: unknown) =>
    post({
      type: "log",
      level: "error",
      msg: "could not start paused",
      error: toWireError(error),
    }),
  );
}

try {
  // The supervisor may have stopped us while we were still loading: then never start.
  const running =
    gate === undefined || enterRunning(gate) ? marketMaker.run(controller.signal) : undefined;
  // Fills that arrived while the loop was starting were handed to it as it subscribed.
  for (const fill of fills?.takeHanded() ?? []) {
    if (fill.key !== undefined) post({ type: "fill-seen", key: fill.key });
  }
  const summary = running ? await running : { canceled: 0, alreadyGone: 0, failed: [] };
  post({
    type: "stopped",
    summary: {
      canceled: summary.canceled,
      alreadyGone: summary.alreadyGone,
      failed: [...summary.failed],
    },
  });
} catch (error) {
  post({ type: "failed", error: toWireError(error) });
  process.exitCode = 1;
} finally {
  clearInterval(journalCheck);
  feed.close(new Error("worker stopping"));
  gateway.close(new Error("worker stopping"));
  journal.close();
  port.close();
}
