/**
 * What the control API asks of the runner. The runner implements it (supervisor → workers);
 * the API only validates, authenticates, audits and answers.
 */

import type { LiveParamKey, LiveParams } from "../../control/live-params.ts";

export {
  LIVE_PARAM_KEYS,
  type LiveParamKey,
  type LiveParams,
} from "../../control/live-params.ts";

/** Where a value in effect came from. `control`: changed through this API since the start. */
export type ParamOrigin = "default" | "file" | "env" | "flag" | "control";

export interface ParamInEffect {
  /** `null`: a limit not set (`maxPosition`, `maxLoss`, `maxDrawdown`). */
  readonly value: string | number | null;
  readonly origin: ParamOrigin;
  /** As configuration names it: `NUM_LEVELS (default)`, `--num-levels`, `mm.yaml: numLevels`, `PATCH /control/params`. */
  readonly name: string;
}

export interface SymbolParams {
  readonly symbol: string;
  readonly params: Readonly<Record<LiveParamKey, ParamInEffect>>;
}

/** Orders cancelled by a pause or the kill switch, once the venue confirmed it. */
export interface CancelCounts {
  readonly cancelled: number;
  readonly alreadyGone: number;
  /** Order ids whose cancel was not confirmed (the runner keeps retrying them). */
  readonly failed: readonly string[];
}

export interface PauseResult extends CancelCounts {
  /** The symbols now paused. */
  readonly symbols: readonly string[];
}

export interface ResumeResult {
  /** The symbols quoting again (from their next cycle). */
  readonly symbols: readonly string[];
}

/**
 * The runner side of the control API. `symbol` undefined means every symbol. Symbols are
 * canonical (`BTC-USDT`) and known: the API answers 404 for others before calling.
 */
export interface RunnerControl {
  /** The configured symbols. */
  symbols(): readonly string[];
  /** Pulls the symbol's quotes (resolves once the venue confirmed them gone); its worker keeps running and polling fills. */
  pause(symbol: string | undefined, signal?: AbortSignal): Promise<PauseResult>;
  resume(symbol: string | undefined, signal?: AbortSignal): Promise<ResumeResult>;
  /** Kill switch: every symbol paused and every order cancelled, answered once confirmed. */
  cancelAll(signal?: AbortSignal): Promise<PauseResult>;
  /** What is in effect per symbol and where each value came from. */
  params(): readonly SymbolParams[] | Promise<readonly SymbolParams[]>;
  /**
   * Applies validated values from the next requote and answers what is then in effect.
   * Rejects with `ParamsRejected` when the combination is not valid for a symbol (e.g. the
   * ladder would cross at the current price): nothing is changed then.
   */
  updateParams(
    symbol: string | undefined,
    values: LiveParams,
    signal?: AbortSignal,
  ): Promise<readonly SymbolParams[]>;
}

/** The runner refused a change as a whole; every problem in configuration's words. */
export class ParamsRejected extends Error {
  override readonly name = "ParamsRejected";
  constructor(readonly problems: readonly string[]) {
    super(`parameters rejected: ${problems.join("; ")}`);
  }
}
