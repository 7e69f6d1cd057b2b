import type { Problem } from "../config/raw.ts";
import type { Control } from "../control/index.ts";
import type { RunnerStatus } from "../ops/index.ts";
import type { ShutdownReport } from "./shutdown-report.ts";

export interface Runner {
  getStatus(): RunnerStatus;
  /** Stops requoting, cancels every order, closes everything. Idempotent. */
  shutdown(reason: string): Promise<ShutdownReport>;
  /** Resolves when the runner must stop on its own (a symbol's first price shows a bad config). */
  readonly fatal: Promise<readonly Problem[]>;
  /**
   * Resolves when the state folder, or a file of it the run holds (lock, ledger, a journal),
   * vanished or was replaced: the message names it. The run must stop (exit 1): what it
   * journals is lost with the folder. Quotes stop at once (a journal that is not ours
   * refuses every new order); `shutdown` cancels every order from the workers' memory.
   */
  readonly stateLost: Promise<string>;
  /** Operator control (pause, resume, kill switch, live parameters, SIGHUP reload). */
  readonly control: Control;
}

export interface StartOptions {
  /** Aborts a start in progress (a signal during start). */
  readonly signal?: AbortSignal;
  /** How long the first price round may take. Default 5000 ms. */
  readonly firstPriceTimeoutMs?: number;
  /** How often the state folder is checked (journal/state-watch.ts). Default 1000 ms. */
  readonly stateCheckMs?: number;
}
