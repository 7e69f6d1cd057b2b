import type { QuoteParamsInput, RiskPatch, TradeFill } from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
import type { SymbolStatus } from "../status/runner-status.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type {
  ControlMessage,
  ControlOptions,
  ParamsChange,
  SymbolParamsChanged,
  SymbolPaused,
  SymbolResumed,
} from "../workers/host/slot-control.ts";
import type { ControlResult, StopSummaryWire } from "../workers/wire/protocol.ts";

/** What an operator changed for a symbol; a restarted worker starts with it. */
export interface ControlState {
  readonly paused?: { readonly reason?: string };
  readonly params: Partial<QuoteParamsInput>;
  readonly risk: RiskPatch;
}

export interface WorkerStop {
  readonly symbol: string;
  readonly summary?: StopSummaryWire;
  /** Did not stop in time and was terminated. */
  readonly terminated: boolean;
}

export interface Supervisor {
  start(): void;
  /** Stops every worker (each cancels its orders); terminates the ones that overrun. */
  stop(timeoutMs: number): Promise<WorkerStop[]>;
  statuses(): SymbolStatus[];
  tracker(symbol: string): SymbolTracker | undefined;
  /** The configured symbols, in order. */
  symbols(): readonly string[];
  config(symbol: string): SymbolConfig | undefined;
  /** The last price this symbol's worker quoted on (or was handed), if any. */
  lastPrice(symbol: string): string | undefined;
  controlState(symbol: string): ControlState | undefined;
  /**
   * Sends one control message to a symbol's worker and waits for its answer.
   * Throws `UnknownSymbolError`, or `WorkerUnavailableError` when the worker is not
   * running (restarting, stopping), exits before answering, or does not answer in time.
   */
  control(
    symbol: string,
    message: ControlMessage,
    options?: ControlOptions,
  ): Promise<ControlResult>;
  /**
   * Pauses one symbol (or every one): remembered first, so a worker restarted meanwhile
   * starts paused; resolves once its quotes are confirmed gone.
   */
  pause(
    symbol: string | undefined,
    options?: ControlOptions & { readonly reason?: string },
  ): Promise<SymbolPaused[]>;
  resume(symbol: string | undefined, options?: ControlOptions): Promise<SymbolResumed[]>;
  /**
   * Changes quoting parameters and risk rules (already validated by the caller; the
   * worker applies both or neither); remembered for a restarted worker once accepted.
   */
  updateParams(
    symbol: string | undefined,
    change: ParamsChange,
    options?: ControlOptions,
  ): Promise<SymbolParamsChanged[]>;
  /** Hands a trade-stream fill to the symbol's worker; false when none runs now. */
  deliverFill(symbol: string, fill: TradeFill): boolean;
  /** Tells every worker the trade stream went live or down. */
  setFillStreamLive(live: boolean): void;
}
