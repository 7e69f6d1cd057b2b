/**
 * mm-runner as a library: resolve a configuration the way the command does, start a
 * runner in this process (benchmarks, embedding), or reuse its journal. The command
 * itself is `src/main.ts`.
 */
export { helpText } from "./config/help.ts";
export { checkLadderAtPrice } from "./config/ladder-check.ts";
export { describeProblem, type Problem } from "./config/raw.ts";
export { type Resolved, type ResolveInput, resolveConfig } from "./config/resolve.ts";
export {
  flagsOf,
  SETTING,
  SETTINGS,
  type Setting,
  type SettingKey,
  type SettingValues,
} from "./config/settings.ts";
export type { RequoteMode, RunnerConfig, SymbolConfig, ValueSource } from "./config/types.ts";
export * from "./control/index.ts";
export { type FileJournal, openFileJournal } from "./journal/file-journal.ts";
export { journalPath, readJournalFile, runnerStateDir } from "./journal/files.ts";
export { acquireLock, LockedError, type StateLock } from "./journal/lock.ts";
export { type RetireResult, retireJournal } from "./journal/retire.ts";
export { StateDirError } from "./journal/state-dir-error.ts";
export { type StateWatch, watchState } from "./journal/state-watch.ts";
export {
  type FillRecord,
  type FillSource,
  type Halt,
  type Ledger,
  LedgerError,
  type NewFill,
  openLedger,
} from "./ledger/ledger.ts";
export { ledgerPath } from "./ledger/path.ts";
export { createLogger, type LoggerOptions } from "./log/logger.ts";
export {
  type Runner,
  type ShutdownReport,
  type StartOptions,
  StartupConfigError,
  startRunner,
} from "./runner.ts";
