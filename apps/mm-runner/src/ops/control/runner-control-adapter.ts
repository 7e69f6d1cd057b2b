import type { SymbolConfig } from "../../config/types.ts";
import { paramsInEffect } from "./params-in-effect.ts";
import type {
  CancelCounts,
  LiveParams,
  PauseResult,
  RunnerControl,
  SymbolParams,
} from "./runner-control.ts";

/** What the runner provides per symbol; the adapter fans out, aggregates and remembers. */
export interface PerSymbolControl {
  readonly symbols: readonly SymbolConfig[];
  /** Pull this symbol's quotes; resolve once the venue confirmed them gone. */
  pause(symbol: string, signal?: AbortSignal): Promise<CancelCounts>;
  resume(symbol: string, signal?: AbortSignal): Promise<void>;
  /**
   * Hand validated values to the symbol's worker (applied by the next requote). May throw
   * `ParamsRejected` for a combination the symbol cannot quote; nothing is changed then.
   */
  applyParams(symbol: string, values: LiveParams, signal?: AbortSignal): Promise<void>;
  /** Told when a symbol is paused or resumed (e.g. `supervisor.tracker(symbol)?.setPaused`). */
  onPaused?(symbol: string, paused: boolean): void;
}

/**
 * A `RunnerControl` from per-symbol operations: `undefined` means every symbol, counts are
 * summed, and changes made through the API are remembered for `params()` (in memory only:
 * they do not survive a restart).
 */
export function createRunnerControl(port: PerSymbolControl): RunnerControl {
  const configs = new Map(port.symbols.map((config) => [config.symbol, config]));
  const changed = new Map<string, LiveParams>();
  const pick = (symbol: string | undefined): string[] =>
    symbol === undefined ? [...configs.keys()] : [symbol];
  const inEffect = (symbol: string): SymbolParams =>
    paramsInEffect(configs.get(symbol)!, changed.get(symbol));

  async function pause(symbol: string | undefined, signal?: AbortSignal): Promise<PauseResult> {
    const names = pick(symbol);
    const results = await Promise.all(
      names.map(async (name) => {
        port.onPaused?.(name, true);
        return await port.pause(name, signal);
      }),
    );
    return {
      symbols: names,
      cancelled: results.reduce((sum, each) => sum + each.cancelled, 0),
      alreadyGone: results.reduce((sum, each) => sum + each.alreadyGone, 0),
      failed: results.flatMap((each) => each.failed),
    };
  }

  return {
    symbols: () => [...configs.keys()],
    pause,
    async resume(symbol, signal) {
      const names = pick(symbol);
      await Promise.all(
        names.map(async (name) => {
          await port.resume(name, signal);
          port.onPaused?.(name, false);
        }),
      );
      return { symbols: names };
    },
    cancelAll: (signal) => pause(undefined, signal),
    params: () => [...configs.keys()].map(inEffect),
    async updateParams(symbol, values, signal) {
      const names = pick(symbol);
      // All or nothing across symbols would need a two-phase worker protocol; one symbol's
      // refusal stops the rest from being asked, and what was applied is remembered.
      for (const name of names) {
        await port.applyParams(name, values, signal);
        changed.set(name, { ...changed.get(name), ...values });
      }
      return names.map(inEffect);
    },
  };
}
