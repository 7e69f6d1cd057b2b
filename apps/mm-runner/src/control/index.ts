/**
 * Operator control of a running runner: pause, resume, the kill switch, live parameters,
 * and SIGHUP's re-read of the config file. The domain is here (`types.ts`: what a
 * `RunnerControl` does; `runner-control.ts`: it, over the supervisor; `live-params.ts`:
 * which settings may change and their checks; `reload.ts`: SIGHUP); `http/` is its
 * `/control` API, which the ops server mounts. `main.ts` calls `reload` on SIGHUP.
 */
import type { Logger } from "pino";
import type { Resolved } from "../config/resolve.ts";
import type { RunnerConfig } from "../config/types.ts";
import type { Supervisor } from "../supervisor.ts";
import { type ReloadOutcome, reloadConfig } from "./reload.ts";
import { createRunnerControl, logParamsInEffect } from "./runner-control.ts";
import type { RunnerControl } from "./types.ts";

export { UnknownSymbolError } from "../supervisor.ts";
export { describeFieldProblem, type FieldProblem, ParamsRejected } from "./errors.ts";
export { LIVE_PARAM_KEYS, type LiveParamKey, type LiveParams } from "./live-params.ts";
export type { ReloadChange, ReloadOutcome } from "./reload.ts";
export { CONTROL_NAME } from "./runner-control.ts";
export type {
  CancelCounts,
  ParamInEffect,
  ParamOrigin,
  PauseResult,
  ResumeResult,
  RunnerControl,
  SymbolParams,
} from "./types.ts";

export interface Control extends RunnerControl {
  /** SIGHUP: applies the configuration re-resolved (`resolveConfig` with the start's input). */
  reload(resolved: Resolved): Promise<ReloadOutcome>;
}

/**
 * The runner's control over its supervisor. Logs, per symbol, the values in effect and
 * where each came from. Live changes do not survive a restart of the runner (the
 * configuration stays the record); they do survive a restart of a symbol's worker.
 */
export function startControl(options: {
  readonly supervisor: Supervisor;
  readonly config: RunnerConfig;
  readonly logger: Logger;
  readonly cwd?: string;
}): Control {
  const control = createRunnerControl(options);
  logParamsInEffect(control, options.logger);
  let reloading: Promise<ReloadOutcome> = Promise.resolve({ outcome: "no-file" });
  return {
    symbols: control.symbols,
    pause: control.pause,
    resume: control.resume,
    cancelAll: control.cancelAll,
    params: control.params,
    updateParams: control.updateParams,
    reload(resolved) {
      // Two SIGHUPs in a row: the second compares with what the first left.
      reloading = reloading.then(() =>
        reloadConfig(resolved, options.config, control, options.logger),
      );
      return reloading;
    },
  };
}
