/**
 * What operator control does, as its callers see it: the `/control` HTTP routes
 * (`http/routes.ts`) and SIGHUP's reload call a `RunnerControl`; `runner-control.ts`
 * implements it over the supervisor. The routes only validate, authenticate, audit and
 * answer.
 */

import type { LiveParamKey, LiveParams } from "./live-params.ts";

/** Where a value in effect came from. `control`: changed through the control API since the start. */
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
 * Operator control of a running runner. `symbol` undefined means every symbol; symbols are
 * canonical (`BTC-USDT`). An unknown one throws `UnknownSymbolError` (the HTTP routes answer
 * 404 for it before calling).
 */
export interface RunnerControl {
  /** The configured symbols. */
  symbols(): readonly string[];
  /** Pulls the symbol's quotes; resolves once the venue confirmed them gone. Its worker keeps running and polling fills. */
  pause(symbol?: string, signal?: AbortSignal): Promise<PauseResult>;
  resume(symbol?: string, signal?: AbortSignal): Promise<ResumeResult>;
  /** Kill switch: every symbol paused and every order cancelled, answered once confirmed. */
  cancelAll(signal?: AbortSignal): Promise<PauseResult>;
  /** What is in effect per symbol, and where each value came from. */
  params(): readonly SymbolParams[];
  /**
   * Validates `values` exactly as configuration is (schemas, cross-checks, the ladder at
   * the last price), then applies them from the next requote; answers what is then in
   * effect for the symbols changed. Any problem: `ParamsRejected` listing every one, and
   * nothing changed on any symbol.
   */
  updateParams(
    symbol: string | undefined,
    values: LiveParams | Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<readonly SymbolParams[]>;
}
