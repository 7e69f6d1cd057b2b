import type { Worker } from "node:worker_threads";
import type { QuoteParams, QuoteParamsInput, RiskPatch } from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import { type ControlCalls, type ControlMessage, WorkerUnavailableError } from "./control-calls.ts";
import type { ProblemWire, StopSummaryWire } from "./protocol.ts";
import { fromWireError } from "./wire/wire-error.ts";

export interface ControlOptions {
  readonly signal?: AbortSignal;
}

/** One symbol's answer to a pause: the quotes pulled, confirmed by the venue. */
export interface SymbolPaused {
  readonly symbol: string;
  readonly summary: StopSummaryWire;
  /**
   * `restarting`: the worker was down (crashed); its orders are cancelled from its journal
   * and the new worker starts paused.
   */
  readonly worker: "running" | "restarting";
}

export interface SymbolResumed {
  readonly symbol: string;
  readonly worker: "running" | "restarting";
}

/** A live change: quoting parameters (core's `updateParams`) and risk rules (`updateRisk`). */
export interface ParamsChange {
  readonly params: Partial<QuoteParamsInput>;
  /** `null` removes that limit. */
  readonly risk?: RiskPatch;
}

export type SymbolParamsChanged =
  | {
      readonly symbol: string;
      readonly ok: true;
      /** As the worker has them now; absent when it was restarting (applied at its start). */
      readonly params?: QuoteParams;
      readonly worker: "running" | "restarting";
    }
  | {
      readonly symbol: string;
      readonly ok: false;
      readonly error: Error;
      readonly problems: readonly ProblemWire[];
    };

/** What of a supervisor's slot operator control reads and changes. */
export interface ControlledSlot {
  readonly config: SymbolConfig;
  readonly tracker: SymbolTracker;
  readonly worker?: Worker;
  readonly calls?: ControlCalls;
  readonly restartTimer?: unknown;
  readonly cleanup?: Promise<void>;
  paused?: { readonly reason?: string };
  params: Partial<QuoteParamsInput>;
  risk: RiskPatch;
}

export interface SlotControlOptions {
  /** How long a control message may wait for its worker's answer. */
  readonly timeoutMs: number;
  readonly isStopping: () => boolean;
}

/**
 * Operator control of the supervisor's workers: sends pause, resume and parameter changes
 * to a slot's worker and awaits its answer, and remembers what was asked on the slot, so a
 * worker that is restarting (or dies mid-call) starts with it.
 */
export function createSlotControl(options: SlotControlOptions) {
  function send(slot: ControlledSlot, message: ControlMessage, control: ControlOptions = {}) {
    const { symbol } = slot.config;
    if (options.isStopping()) {
      return Promise.reject(
        new WorkerUnavailableError(symbol, "stopping", `${symbol}: the runner is stopping`),
      );
    }
    const worker = slot.worker;
    const calls = slot.calls;
    if (!worker || !calls) {
      const why = slot.restartTimer || slot.cleanup ? "is restarting" : "is not running";
      return Promise.reject(
        new WorkerUnavailableError(symbol, "not-running", `${symbol}'s worker ${why}`),
      );
    }
    return calls.send((toWorker) => worker.postMessage(toWorker), message, {
      timeoutMs: options.timeoutMs,
      ...(control.signal ? { signal: control.signal } : {}),
    });
  }

  /** The worker is down or died mid-call: what it held is cancelled from its journal. */
  const downOrDied = (slot: ControlledSlot, error: unknown) =>
    error instanceof WorkerUnavailableError &&
    (error.reason === "not-running" || error.reason === "exited") &&
    !options.isStopping() &&
    slot.worker === undefined;

  function markPaused(slot: ControlledSlot, reason: string | undefined): void {
    slot.paused = reason === undefined ? {} : { reason };
    slot.tracker.setPaused(true);
  }

  async function pauseSlot(slot: ControlledSlot, control: ControlOptions & { reason?: string }) {
    const { symbol } = slot.config;
    try {
      const result = await send(
        slot,
        { type: "pause", ...(control.reason === undefined ? {} : { reason: control.reason }) },
        control,
      );
      if (!result.ok) throw fromWireError(result.error);
      const summary = result.summary ?? { canceled: 0, alreadyGone: 0, failed: [] };
      return { symbol, summary, worker: "running" } satisfies SymbolPaused;
    } catch (error) {
      if (!downOrDied(slot, error)) throw error;
      await slot.cleanup;
      return {
        symbol,
        summary: { canceled: 0, alreadyGone: 0, failed: [] },
        worker: "restarting",
      } satisfies SymbolPaused;
    }
  }

  async function resumeSlot(slot: ControlledSlot, control: ControlOptions): Promise<SymbolResumed> {
    const { symbol } = slot.config;
    slot.paused = undefined;
    slot.tracker.setPaused(false);
    try {
      const result = await send(slot, { type: "resume" }, control);
      if (!result.ok) throw fromWireError(result.error);
      return { symbol, worker: "running" };
    } catch (error) {
      if (!downOrDied(slot, error)) throw error;
      return { symbol, worker: "restarting" };
    }
  }

  async function paramsOfSlot(
    slot: ControlledSlot,
    change: ParamsChange,
    control: ControlOptions,
  ): Promise<SymbolParamsChanged> {
    const { symbol } = slot.config;
    const patch = change.params;
    const risk = change.risk ?? {};
    const remember = () => {
      slot.params = { ...slot.params, ...patch };
      slot.risk = { ...slot.risk, ...risk };
    };
    try {
      const result = await send(
        slot,
        { type: "params", params: patch, ...(Object.keys(risk).length > 0 ? { risk } : {}) },
        control,
      );
      if (!result.ok) {
        return {
          symbol,
          ok: false,
          error: fromWireError(result.error),
          problems: result.problems ?? [],
        };
      }
      remember();
      slot.tracker.setLevels(result.params.levels);
      slot.tracker.setSizes(result.params.sizes);
      return { symbol, ok: true, params: result.params, worker: "running" };
    } catch (error) {
      if (!downOrDied(slot, error)) throw error;
      // Validated by the caller; the restarted worker applies it before its first cycle.
      remember();
      if (patch.levels !== undefined) slot.tracker.setLevels(patch.levels);
      return { symbol, ok: true, worker: "restarting" };
    }
  }

  return {
    send,
    pause(chosen: readonly ControlledSlot[], control: ControlOptions & { reason?: string }) {
      // Every one is marked paused before any answer is awaited (the kill switch).
      for (const slot of chosen) markPaused(slot, control.reason);
      return Promise.all(chosen.map((slot) => pauseSlot(slot, control)));
    },
    resume: (chosen: readonly ControlledSlot[], control: ControlOptions) =>
      Promise.all(chosen.map((slot) => resumeSlot(slot, control))),
    updateParams: (
      chosen: readonly ControlledSlot[],
      change: ParamsChange,
      control: ControlOptions,
    ) => Promise.all(chosen.map((slot) => paramsOfSlot(slot, change, control))),
  };
}
