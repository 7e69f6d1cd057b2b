import { Mutex } from "@matchingo-mm/core";
import type { Logger } from "pino";
import type { SymbolConfig } from "../config/types.ts";
import { type Supervisor, type SymbolParamsChanged, UnknownSymbolError } from "../supervisor.ts";
import { describeFieldProblem, type FieldProblem, ParamsRejected } from "./errors.ts";
import {
  checkLiveValues,
  checkLiveValuesFor,
  LIVE_PARAM_KEYS,
  type LiveParamKey,
  type LiveParams,
  type LiveValue,
  settingOfCoreField,
  toCoreParams,
  toCoreRisk,
} from "./live-params.ts";
import type { ParamInEffect, PauseResult, RunnerControl, SymbolParams } from "./types.ts";

/** The name a value changed through the control API goes by. */
export const CONTROL_NAME = "PATCH /control/params";

/** What `reload` needs besides the control: applying values with their origin. */
export interface RunnerControlInternals extends RunnerControl {
  /**
   * Applies already-validated values to one symbol with the given origin (SIGHUP: the
   * file's), after the same checks as `updateParams`.
   */
  apply(
    changes: ReadonlyMap<string, Readonly<Record<string, LiveValue>>>,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Every symbol's configuration as it was resolved last (start, or the last good SIGHUP). */
  baseline(symbol: string): SymbolConfig;
  setBaseline(symbol: string, config: SymbolConfig): void;
}

export interface RunnerControlOptions {
  readonly supervisor: Supervisor;
  readonly logger: Logger;
  /** The working directory configuration paths are relative to. */
  readonly cwd?: string;
}

/**
 * The runner side of operator control, over the supervisor's routing to the workers.
 * Changes made here last until the process stops: the configuration (file, environment,
 * flags) stays the record, and the start log says what is in effect and why.
 */
export function createRunnerControl(options: RunnerControlOptions): RunnerControlInternals {
  const { supervisor, logger } = options;
  const cwd = options.cwd ?? process.cwd();
  const log = logger.child({ component: "control" });
  const baselines = new Map<string, SymbolConfig>();
  /** Per symbol: values changed while running, with their origin. */
  const changed = new Map<string, Map<LiveParamKey, LiveValue>>();
  for (const symbol of supervisor.symbols()) {
    baselines.set(symbol, supervisor.config(symbol)!);
    changed.set(symbol, new Map());
  }
  // One parameter change at a time: each is checked against what the last one left.
  const changes = new Mutex();
  const serially = <T>(task: () => Promise<T>): Promise<T> => changes.run(task);

  const chosen = (symbol: string | undefined): string[] => {
    const all = supervisor.symbols();
    if (symbol === undefined) return [...all];
    if (!all.includes(symbol)) throw new UnknownSymbolError(symbol, all);
    return [symbol];
  };

  function inEffect(symbol: string): Record<LiveParamKey, LiveValue> {
    const config = baselines.get(symbol)!;
    const changes = changed.get(symbol)!;
    const out = {} as Record<LiveParamKey, LiveValue>;
    for (const key of LIVE_PARAM_KEYS) {
      out[key] = changes.get(key) ?? {
        value: config[key] ?? null,
        source: config.sources[key] ?? "default",
        name: config.origins[key] ?? `${key} (default)`,
      };
    }
    return out;
  }

  const paramsOf = (symbol: string): SymbolParams => {
    const values = inEffect(symbol);
    const params = {} as Record<LiveParamKey, ParamInEffect>;
    for (const key of LIVE_PARAM_KEYS) {
      const { value, source, name } = values[key];
      params[key] = { value, origin: source, name };
    }
    return { symbol, params };
  };

  async function pauseSymbols(
    symbols: readonly string[],
    reason: string,
    signal: AbortSignal | undefined,
  ): Promise<PauseResult> {
    const settled = await Promise.allSettled(
      symbols.map((symbol) => supervisor.pause(symbol, { reason, ...(signal ? { signal } : {}) })),
    );
    let cancelled = 0;
    let alreadyGone = 0;
    const failed: string[] = [];
    const errors: string[] = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === "rejected") {
        errors.push(`${symbols[index]}: ${(outcome.reason as Error).message}`);
        return;
      }
      for (const paused of outcome.value) {
        cancelled += paused.summary.canceled;
        alreadyGone += paused.summary.alreadyGone;
        failed.push(...paused.summary.failed);
      }
    });
    const result = { symbols, cancelled, alreadyGone, failed };
    if (errors.length > 0) {
      log.error({ ...result, errors }, `${reason}: not confirmed for ${errors.length} symbol(s)`);
      throw new Error(
        `${reason}: every symbol is marked paused, but not confirmed for ${errors.join("; ")}`,
      );
    }
    log.info(
      result,
      `${reason}: ${symbols.join(", ")} paused; ${cancelled} orders cancelled, ${alreadyGone} already gone${failed.length > 0 ? `, ${failed.length} not confirmed (retried)` : ""}`,
    );
    return result;
  }

  /** Checks values for each symbol; sends them; records them with their origin. */
  async function applyChecked(
    changes: ReadonlyMap<string, Readonly<Record<string, LiveValue>>>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    for (const [symbol, entries] of changes) {
      const values = Object.fromEntries(
        Object.entries(entries).map(([key, each]) => [key, each.value]),
      ) as LiveParams;
      problems.push(
        ...checkLiveValuesFor(
          baselines.get(symbol)!,
          inEffect(symbol),
          values,
          supervisor.lastPrice(symbol),
          cwd,
        ),
      );
    }
    if (problems.length > 0) throw rejected(problems);

    const sent = await Promise.allSettled(
      [...changes].map(async ([symbol, entries]) => {
        const values = Object.fromEntries(
          Object.entries(entries).map(([key, each]) => [key, each.value]),
        ) as LiveParams;
        const [answer] = await supervisor.updateParams(
          symbol,
          { params: toCoreParams(values), risk: toCoreRisk(values) },
          signal ? { signal } : {},
        );
        if (answer?.ok) {
          const record = changed.get(symbol)!;
          for (const [key, each] of Object.entries(entries)) {
            record.set(key as LiveParamKey, each);
          }
        }
        return answer;
      }),
    );
    const refused: FieldProblem[] = [];
    const errors: string[] = [];
    for (const outcome of sent) {
      if (outcome.status === "rejected") {
        errors.push((outcome.reason as Error).message);
        continue;
      }
      const answer = outcome.value as SymbolParamsChanged | undefined;
      if (answer && !answer.ok) {
        refused.push(
          ...(answer.problems.length > 0
            ? answer.problems.map((problem) => ({
                field: settingOfCoreField(problem.field),
                ...(problem.value === undefined ? {} : { value: problem.value }),
                message: problem.message,
                symbol: answer.symbol,
              }))
            : [{ field: "params", message: answer.error.message, symbol: answer.symbol }]),
        );
      }
    }
    if (refused.length > 0) throw rejected(refused);
    if (errors.length > 0) throw new Error(`parameters not applied: ${errors.join("; ")}`);
  }

  return {
    symbols: () => supervisor.symbols(),
    pause: async (symbol, signal) => pauseSymbols(chosen(symbol), "operator pause", signal),
    async resume(symbol, signal) {
      const symbols = chosen(symbol);
      const settled = await Promise.allSettled(
        symbols.map((each) => supervisor.resume(each, signal ? { signal } : {})),
      );
      const errors = settled.flatMap((outcome, index) =>
        outcome.status === "rejected"
          ? [`${symbols[index]}: ${(outcome.reason as Error).message}`]
          : [],
      );
      if (errors.length > 0) throw new Error(`resume not confirmed for ${errors.join("; ")}`);
      log.info({ symbols }, `operator resume: ${symbols.join(", ")} quoting again`);
      return { symbols };
    },
    cancelAll: async (signal) =>
      pauseSymbols(supervisor.symbols(), "kill switch (cancel-all)", signal),
    params: () => supervisor.symbols().map(paramsOf),
    updateParams(symbol, values, signal) {
      return serially(async () => {
        const symbols = chosen(symbol);
        const checked = checkLiveValues(values as Readonly<Record<string, unknown>>);
        if (checked.problems.length > 0) throw rejected(checked.problems);
        const entries: Record<string, LiveValue> = {};
        for (const [key, value] of Object.entries(checked.values)) {
          entries[key] = {
            value: value as string | number | null,
            source: "control",
            name: CONTROL_NAME,
          };
        }
        await applyChecked(new Map(symbols.map((each) => [each, entries])), signal);
        log.info(
          { symbols, values: checked.values },
          `parameters changed for ${symbols.join(", ")}: ${describeValues(checked.values)} (from the next requote)`,
        );
        return symbols.map(paramsOf);
      });
    },
    apply: (changes, signal) => serially(() => applyChecked(changes, signal)),
    baseline: (symbol) => baselines.get(symbol)!,
    setBaseline: (symbol, config) => {
      baselines.set(symbol, config);
    },
  };
}

function rejected(problems: readonly FieldProblem[]): ParamsRejected {
  return new ParamsRejected(problems.map(describeFieldProblem), problems);
}

function describeValues(values: LiveParams): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}

/** One line per symbol at start: every live value in effect and where it came from. */
export function logParamsInEffect(control: RunnerControl, logger: Logger): void {
  for (const { symbol, params } of control.params()) {
    const shown = LIVE_PARAM_KEYS.map((key) => {
      const each = params[key];
      return `${key}=${each.value} (${each.origin === "default" ? "default" : `${each.origin}: ${each.name}`})`;
    }).join(", ");
    logger.info(
      { symbol, params },
      `parameters in effect for ${symbol}: ${shown}; changes made while running (control API, SIGHUP) last until the runner stops`,
    );
  }
}
