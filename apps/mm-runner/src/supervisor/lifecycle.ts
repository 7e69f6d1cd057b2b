import { workerEntry } from "../workers/host/entry.ts";
import { nextRestart } from "../workers/host/restart-policy.ts";
import { WorkerUnavailableError } from "../workers/host/slot-control.ts";
import {
  createCallSlots,
  PHASE_CONCURRENCY,
  PROCESS_CONCURRENCY,
} from "../workers/host/venue-api.ts";
import { type HostApi, VENUE_CALLS, type WorkerApi } from "../workers/wire/protocol.ts";
import { exposeOnPort, portClient } from "../workers/wire/rpc.ts";
import { createStartGate } from "../workers/wire/start-gate.ts";
import { cancelDeadWorkerOrders } from "./dead-worker.ts";
import { hostApi } from "./host-api.ts";
import type { SupervisorOptions } from "./options.ts";
import { releaseStart, type Slot } from "./slots.ts";
import { startWorkerThread, workerInit } from "./worker-thread.ts";

export interface SlotLifecycle {
  /** Starts the slot's worker; a crash sweeps its orders and starts the next one later. */
  spawn(slot: Slot): void;
}

/**
 * A slot's workers, one after another: starts one wired to the main thread (its RPC both
 * ways), and when it crashes cancels the orders its journal lists and restarts it with
 * back-off. Once `isStopping()`, an ending worker is only marked stopped.
 */
export function createSlotLifecycle(
  options: SupervisorOptions,
  isStopping: () => boolean,
): SlotLifecycle {
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const entry = workerEntry();
  // Every worker's venue calls share the one channel, and one bound on what is in flight.
  const callSlots = createCallSlots(PROCESS_CONCURRENCY);

  function spawn(slot: Slot): void {
    const { config } = slot;
    const init = workerInit(options, slot);
    const gate = createStartGate();
    const worker = startWorkerThread(entry, init, gate);
    slot.worker = worker;
    slot.gate = gate;
    const toWorker = portClient<WorkerApi>(worker);
    slot.toWorker = toWorker;
    const host = exposeOnPort<HostApi>(worker, hostApi(options, callSlots, slot), {
      togetherConcurrency: PHASE_CONCURRENCY,
      // The innermost bid and ask leave before the rest of the ladder is started.
      togetherFirst: 2,
      // A dead worker's venue calls settle before its journal is swept (not its price asks).
      tracked: VENUE_CALLS,
      onNotifyError: (method, error) =>
        slot.logger.error({ err: error }, `handling the worker's ${method} failed`),
    });
    slot.host = host;
    slot.startedAt = Date.now();
    slot.summary = undefined;
    slot.tracker.onWorker("starting");
    let ended = false;

    // Its first message says its module has run: the next worker may boot.
    worker.once("message", () => releaseStart(slot));
    options.fills?.redeliver(config.symbol);
    const onEnd = (error: Error | undefined, exitCode: number | undefined) => {
      if (ended) return;
      ended = true;
      releaseStart(slot);
      if (slot.worker === worker) {
        slot.worker = undefined;
        slot.toWorker = undefined;
      }
      toWorker.close(
        () =>
          new WorkerUnavailableError(
            config.symbol,
            "exited",
            `${config.symbol}'s worker ended before it answered`,
            { cause: error },
          ),
      );
      if (isStopping()) {
        slot.tracker.onWorker("stopped");
        return;
      }
      const reason = error
        ? `worker crashed: ${error.message}`
        : `worker exited unexpectedly (code ${exitCode})`;
      slot.logger.error({ err: error, exitCode }, reason);
      slot.tracker.onWorker("crashed", reason);
      slot.tracker.note("worker-crashed", reason, "error");
      // Its calls still in flight settle first: a create it sent must not land after the sweep.
      slot.cleanup = host
        .drained()
        .then(() => cancelDeadWorkerOrders(options, slot))
        .finally(() => {
          slot.cleanup = undefined;
        });
      scheduleRestart(slot);
    };
    worker.on("error", (error) => onEnd(error, undefined));
    worker.on("exit", (code) => onEnd(undefined, code));
  }

  function scheduleRestart(slot: Slot): void {
    const { delayMs: delay, restarts } = nextRestart(slot, Date.now(), maxDelay);
    slot.restarts = restarts;
    slot.logger.warn({ inMs: delay }, `restarting the worker in ${delay} ms`);
    slot.restartTimer = setTimeout(async () => {
      slot.restartTimer = undefined;
      await slot.cleanup;
      if (isStopping()) return;
      slot.tracker.note("worker-restarted", "worker restarted", "warn");
      spawn(slot);
    }, delay);
  }

  return { spawn };
}
