import { Worker } from "node:worker_threads";
import { journalPath } from "../journal/files.ts";
import type { WorkerEntry } from "../workers/host/entry.ts";
import { workerExecArgv } from "../workers/host/exec-argv.ts";
import type { WorkerInit } from "../workers/wire/protocol.ts";
import type { StartGate } from "../workers/wire/start-gate.ts";
import type { SupervisorOptions } from "./options.ts";
import type { Slot } from "./slots.ts";

/**
 * What a slot's next worker starts from: its symbol, the venue, its journal, the fills
 * booked so far, and what an operator changed (it survives the worker before it).
 */
export function workerInit(
  options: Pick<
    SupervisorOptions,
    "venue" | "runnerDir" | "books" | "createOrderBook" | "workerShutdownMs" | "feed" | "fills"
  >,
  slot: Slot,
): WorkerInit {
  const { config } = slot;
  return {
    symbol: config,
    venue: options.venue,
    journalPath: journalPath(options.runnerDir, config.book),
    // Read at every (re)start: a restarted worker goes on from the fills booked so far.
    ...options.books.start(config.symbol),
    createOrderBook: options.createOrderBook,
    shutdownTimeoutMs: options.workerShutdownMs,
    ...(options.feed.subscribe ? { pushedTicks: true } : {}),
    ...(options.fills ? { fillStream: { live: options.fills.live() } } : {}),
    ...(slot.paused ? { paused: slot.paused } : {}),
    ...(Object.keys(slot.params).length > 0 ? { params: slot.params } : {}),
    ...(Object.keys(slot.risk).length > 0 ? { risk: slot.risk } : {}),
  };
}

/** Starts a worker thread from `entry` with `init`, its start gate, and a small heap. */
export function startWorkerThread(entry: WorkerEntry, init: WorkerInit, gate: StartGate): Worker {
  return new Worker(entry.url, {
    workerData: { ...entry.data, init, gate },
    ...workerExecArgv(process.execArgv),
    // A worker's heap is small and short-lived; by default V8 lets each of N isolates
    // grow a new space of up to 32 MiB it does not need.
    resourceLimits: {
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
    },
    name: `mm-${init.symbol.symbol}`,
  });
}

/** Young generation of a worker's heap (V8 sizes it as three semi-spaces: 1 MiB each). */
const WORKER_YOUNG_GENERATION_MB = 3;

/**
 * Old generation of a worker's heap. Uncapped, V8 sizes it from the machine (4 GiB here) and
 * lets a worker whose live set is ~5 MiB grow for many minutes before a full collection: with
 * 16 symbols the workers' heaps went from 114 to 230 MiB in 8 minutes of the sandbox soak
 * (issue 26). Capped, V8 collects before its limit; 64 MiB leaves a worker ten times its
 * live set (more than the bounded sets of settled orders and stream keys can add). A worker
 * that still outgrows it ends with ERR_WORKER_OUT_OF_MEMORY and is restarted like any crash.
 */
const WORKER_OLD_GENERATION_MB = 64;
