import { stopWhileBooting } from "../workers/wire/start-gate.ts";
import type { Slot } from "./slots.ts";
import type { WorkerStop } from "./types.ts";

/** Stops every slot's worker at once, each within `timeoutMs`. */
export function stopSlots(slots: Iterable<Slot>, timeoutMs: number): Promise<WorkerStop[]> {
  return Promise.all([...slots].map((slot) => stopSlot(slot, timeoutMs)));
}

/**
 * Stops one slot: no restart pending, the worker asked to stop (it cancels its orders) and
 * terminated if it overruns `timeoutMs`; a worker still booting is terminated at once.
 */
export async function stopSlot(slot: Slot, timeoutMs: number): Promise<WorkerStop> {
  if (slot.restartTimer) {
    clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
  }
  await slot.cleanup;
  const worker = slot.worker;
  if (!worker) {
    slot.tracker.onWorker("stopped");
    return { symbol: slot.config.symbol, terminated: false };
  }
  if (slot.gate && stopWhileBooting(slot.gate)) {
    // Still loading (its loop never started, nothing placed): no need to wait for it to
    // finish booting under load only to cancel nothing. Its journal is swept anyway.
    slot.logger.info("the worker was still starting; stopped it before its first cycle");
    await worker.terminate();
    slot.tracker.onWorker("stopped");
    return { symbol: slot.config.symbol, terminated: false };
  }
  const exited = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const stopAt = Date.now();
  slot.toWorker?.notify.stop(undefined);
  const inTime = await exited;
  if (!inTime) {
    slot.logger.error(`the worker did not stop within ${timeoutMs} ms; terminating it`);
    await worker.terminate();
  }
  // What it left in flight (a create whose wait it gave up on still travels) settles
  // before the runner sweeps the journals, so the sweep's cancel cannot overtake it.
  if (slot.host && slot.host.inFlight > 0) {
    await settledWithin(slot.host.drained(), timeoutMs - (Date.now() - stopAt));
  }
  slot.tracker.onWorker("stopped");
  return {
    symbol: slot.config.symbol,
    ...(slot.summary ? { summary: slot.summary } : {}),
    terminated: !inTime,
  };
}

/** Waits for `settled`, for at most `ms` (nothing when the time is already up). */
async function settledWithin(settled: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
