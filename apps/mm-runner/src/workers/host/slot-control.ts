import type { QuoteParams, QuoteParamsInput, RiskPatch } from "@matchingo-mm/core";
import type { SymbolConfig } from "../../config/types.ts";
import type { SymbolTracker } from "../../status/symbol-tracker.ts";
import type { ControlResult, ProblemWire, StopSummaryWire, WorkerApi } from "../wire/protocol.ts";
import type { PortClient } from "../wire/rpc.ts";
import { fromWireError } from "../wire/wire-error.ts";

/** An operator control message to a worker. */
export type ControlMessage =
  | { readonly type: "pause"; readonly reason?: string }
  | { readonly type: "resume" }
  | {
      readonly type: "params";
      readonly params: Partial<QuoteParamsInput>;
      readonly risk?: RiskPatch;
    };

/** Why a control message got no answer from a symbol's worker. */
export type UnavailableReason = "not-running" | "exited" | "timeout" | "stopping" | "aborted";

/** A symbol's worker could not take or answer a control message. */
export class WorkerUnavailableError extends Error {
  override readonly name = "WorkerUnavailableError";
  constructor(
    readonly symbol: string,
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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
  /** The running worker's RPC client (none while it is down). */
  readonly toWorker?: PortClient<WorkerApi>;
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
    const toWorker = slot.toWorker;
    if (!toWorker) {
      const why = slot.restartTimer || slot.cleanup ? "is restarting" : "is not running";
      return Promise.reject(
        new WorkerUnavailableError(symbol, "not-running", `${symbol}'s worker ${why}`),
      );
    }
    return callWorker(symbol, toWorker, message, options.timeoutMs, control.signal);
  }

  /** The worker is down or died mid-call: what it held is cancelled from its journal. */
  const downOrDied = (slot: ControlledSlot, error: unknown) =>
    error instanceof WorkerUnavailableError &&
    (error.reason === "not-running" || error.reason === "exited") &&
    !options.isStopping() &&
    slot.toWorker === undefined;

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

/**
 * One control call on a worker, waiting at most `timeoutMs` for its answer: not answered
 * in time, aborted by the caller, or the worker gone before it answered, it fails with
 * `WorkerUnavailableError` saying which.
 */
async function callWorker(
  symbol: string,
  toWorker: PortClient<WorkerApi>,
  message: ControlMessage,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<ControlResult> {
  if (callerSignal?.aborted) {
    throw new WorkerUnavailableError(symbol, "aborted", `${symbol}: stopped waiting (aborted)`, {
      cause: callerSignal.reason,
    });
  }
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([timeout.signal, callerSignal]) : timeout.signal;
  try {
    const call = toWorker.call;
    switch (message.type) {
      case "pause":
        return await call.pause(message.reason === undefined ? {} : { reason: message.reason }, {
          signal,
        });
      case "resume":
        return await call.resume(undefined, { signal });
      case "params":
        return await call.params(
          { params: message.params, ...(message.risk === undefined ? {} : { risk: message.risk }) },
          { signal },
        );
    }
  } catch (error) {
    if (error instanceof WorkerUnavailableError) throw error;
    if (timeout.signal.aborted) {
      throw new WorkerUnavailableError(
        symbol,
        "timeout",
        `${symbol}'s worker did not answer ${message.type} within ${timeoutMs} ms`,
      );
    }
    if (callerSignal?.aborted) {
      throw new WorkerUnavailableError(symbol, "aborted", `${symbol}: stopped waiting (aborted)`, {
        cause: callerSignal.reason,
      });
    }
    throw new WorkerUnavailableError(symbol, "exited", `${symbol}'s worker is gone`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
