import { createSlotControl } from "../workers/host/slot-control.ts";
import type { SupervisorOptions } from "./options.ts";
import { type Slots, slotOf, slotsOf } from "./slots.ts";
import type { Supervisor } from "./types.ts";

/** The supervisor's calls that reach a symbol's worker: operator control and fills. */
export type ForwardedCalls = Pick<
  Supervisor,
  | "controlState"
  | "control"
  | "pause"
  | "resume"
  | "updateParams"
  | "deliverFill"
  | "setFillStreamLive"
>;

/**
 * Forwards operator control (see slot-control.ts) and trade-stream fills to the slots'
 * workers; `controlState` reads what an operator changed, which a restarted worker starts with.
 */
export function forwardToWorkers(
  slots: Slots,
  options: Pick<SupervisorOptions, "controlTimeoutMs" | "workerShutdownMs">,
  isStopping: () => boolean,
): ForwardedCalls {
  const control = createSlotControl({
    timeoutMs: options.controlTimeoutMs ?? options.workerShutdownMs + 5000,
    isStopping,
  });
  return {
    controlState(symbol) {
      const slot = slots.get(symbol);
      if (!slot) return undefined;
      return {
        ...(slot.paused ? { paused: slot.paused } : {}),
        params: { ...slot.params },
        risk: { ...slot.risk },
      };
    },
    control: async (symbol, message, options) =>
      control.send(slotOf(slots, symbol), message, options),
    pause: async (symbol, options = {}) => control.pause(slotsOf(slots, symbol), options),
    resume: async (symbol, options = {}) => control.resume(slotsOf(slots, symbol), options),
    updateParams: async (symbol, change, options = {}) =>
      control.updateParams(slotsOf(slots, symbol), change, options),
    deliverFill(symbol, fill) {
      const toWorker = slots.get(symbol)?.toWorker;
      if (!toWorker) return false;
      toWorker.notify.fill(fill);
      return true;
    },
    setFillStreamLive(live) {
      for (const slot of slots.values()) slot.toWorker?.notify.fillStream({ live });
    },
  };
}
