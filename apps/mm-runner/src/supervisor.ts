import { forwardToWorkers } from "./supervisor/control-forwarding.ts";
import { createSlotLifecycle } from "./supervisor/lifecycle.ts";
import type { SupervisorOptions } from "./supervisor/options.ts";
import { createSlots, slotReads } from "./supervisor/slots.ts";
import { stopSlots } from "./supervisor/stop.ts";
import type { Supervisor } from "./supervisor/types.ts";
import { forwardTicks } from "./workers/host/price-link.ts";
import { createStartRamp } from "./workers/host/start-ramp.ts";

export type { SupervisorOptions } from "./supervisor/options.ts";
export { UnknownSymbolError } from "./supervisor/slots.ts";
export type { ControlState, Supervisor, WorkerStop } from "./supervisor/types.ts";
export type {
  ControlOptions,
  ParamsChange,
  SymbolParamsChanged,
  SymbolPaused,
  SymbolResumed,
} from "./workers/host/slot-control.ts";

/**
 * One worker thread per symbol. The main thread answers their price requests from the
 * shared feed, logs and counts their events, restarts a crashed worker with back-off
 * after cancelling the orders its journal lists, and keeps each symbol's status.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const ramp = createStartRamp(options.startConcurrency ?? 8);
  const slots = createSlots(options);
  let stopping = false;
  const isStopping = () => stopping;
  const { spawn } = createSlotLifecycle(options, isStopping);
  let stopForwarding: (() => void) | undefined;

  return {
    ...slotReads(slots),
    ...forwardToWorkers(slots, options, isStopping),
    start() {
      stopForwarding ??= forwardTicks(options, slots.values(), isStopping);
      for (const slot of slots.values()) {
        ramp.enqueue(() => {
          if (stopping) return ramp.release();
          slot.releaseStart = ramp.release;
          spawn(slot);
        });
      }
    },
    async stop(timeoutMs) {
      stopping = true;
      ramp.clear();
      stopForwarding?.();
      stopForwarding = undefined;
      return stopSlots(slots.values(), timeoutMs);
    },
  };
}
