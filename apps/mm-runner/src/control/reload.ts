import type { Logger } from "pino";
import { describeProblem } from "../config/raw.ts";
import type { Resolved } from "../config/resolve.ts";
import type { RunnerConfig, SymbolConfig } from "../config/types.ts";
import { ParamsRejected } from "./errors.ts";
import { isLiveKey, LIVE_PARAM_KEYS, type LiveValue } from "./live-params.ts";
import type { RunnerControlInternals } from "./runner-control.ts";

export interface ReloadChange {
  readonly symbol?: string;
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
  /** Where the new value comes from. */
  readonly name?: string;
}

export type ReloadOutcome =
  | { readonly outcome: "no-file" }
  | { readonly outcome: "invalid"; readonly problems: readonly string[] }
  | {
      readonly outcome: "applied";
      readonly applied: readonly ReloadChange[];
      /** Changed in the file, but only a restart applies them: ignored. */
      readonly needsRestart: readonly ReloadChange[];
    };

/** Keys of the runner's and symbols' configuration that are bookkeeping, not settings. */
const NOT_SETTINGS = new Set(["origins", "sources", "symbols"]);

/**
 * SIGHUP: the configuration re-resolved (same flags and environment, the config file read
 * again) is applied with configuration's own rules. A file that is broken or invalid
 * changes nothing and every problem is logged; a valid one applies its changed live
 * settings through the control (checked at each symbol's price, all or nothing) and logs
 * what changed; anything else that changed needs a restart and is ignored (logged).
 */
export async function reloadConfig(
  resolved: Resolved,
  running: RunnerConfig,
  control: RunnerControlInternals,
  logger: Logger,
): Promise<ReloadOutcome> {
  const log = logger.child({ component: "reload" });
  if (resolved.configFile === undefined) {
    log.warn("SIGHUP: no config file (--config or MM_CONFIG) to re-read; nothing changed");
    return { outcome: "no-file" };
  }
  const file = resolved.configFile;
  if (!resolved.config) {
    const problems = resolved.problems.map(describeProblem);
    log.error(
      { file, problems },
      `SIGHUP: ${file} is broken or invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing changed:\n${problems.map((line) => `  - ${line}`).join("\n")}`,
    );
    return { outcome: "invalid", problems };
  }
  const next = resolved.config;
  const needsRestart: ReloadChange[] = [];
  for (const key of Object.keys({ ...running, ...next }) as (keyof RunnerConfig)[]) {
    if (NOT_SETTINGS.has(key)) continue;
    if (!same(running[key], next[key])) {
      needsRestart.push({
        key,
        from: shown(key, running[key]),
        to: shown(key, next[key]),
        name: next.origins[key] ?? key,
      });
    }
  }
  const runningSymbols = running.symbols.map((each) => each.symbol);
  const nextSymbols = next.symbols.map((each) => each.symbol);
  if (!same(runningSymbols, nextSymbols)) {
    needsRestart.push({ key: "symbols", from: runningSymbols, to: nextSymbols });
  }

  const applied: ReloadChange[] = [];
  const changes = new Map<string, Record<string, LiveValue>>();
  const baselines = new Map<string, SymbolConfig>();
  for (const fresh of next.symbols) {
    if (!runningSymbols.includes(fresh.symbol)) continue;
    const before = control.baseline(fresh.symbol);
    for (const key of Object.keys({ ...before, ...fresh }) as (keyof SymbolConfig)[]) {
      if (NOT_SETTINGS.has(key) || isLiveKey(key) || same(before[key], fresh[key])) continue;
      needsRestart.push({
        symbol: fresh.symbol,
        key,
        from: before[key],
        to: fresh[key],
        name: fresh.origins[key] ?? key,
      });
    }
    const entries: Record<string, LiveValue> = {};
    for (const key of LIVE_PARAM_KEYS) {
      if (same(before[key], fresh[key])) continue;
      const name = fresh.origins[key] ?? `${key} (default)`;
      // A limit the file no longer sets is removed (null).
      entries[key] = { value: fresh[key] ?? null, source: fresh.sources[key] ?? "default", name };
      applied.push({ symbol: fresh.symbol, key, from: before[key], to: fresh[key], name });
    }
    if (Object.keys(entries).length > 0) changes.set(fresh.symbol, entries);
    baselines.set(fresh.symbol, withLiveValues(before, fresh));
  }

  if (changes.size > 0) {
    try {
      await control.apply(changes);
    } catch (error) {
      const problems =
        error instanceof ParamsRejected ? [...error.problems] : [(error as Error).message];
      log.error(
        { file, problems },
        `SIGHUP: ${file} cannot be applied (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing changed:\n${problems.map((line) => `  - ${line}`).join("\n")}`,
      );
      return { outcome: "invalid", problems };
    }
  }
  for (const [symbol, baseline] of baselines) control.setBaseline(symbol, baseline);

  if (applied.length > 0) {
    log.info(
      { file, applied },
      `SIGHUP: applied from ${file} (from the next requote): ${applied.map(describeChange).join(", ")}`,
    );
  } else {
    log.info({ file }, `SIGHUP: re-read ${file}; no live setting changed`);
  }
  if (needsRestart.length > 0) {
    log.warn(
      { file, needsRestart },
      `SIGHUP: these changed in the configuration but need a restart (ignored until then): ${needsRestart.map(describeChange).join(", ")}`,
    );
  }
  return { outcome: "applied", applied, needsRestart };
}

/** The running symbol's configuration with the live settings as the file now has them. */
function withLiveValues(before: SymbolConfig, fresh: SymbolConfig): SymbolConfig {
  const origins: Record<string, string> = { ...before.origins };
  const sources: Record<string, SymbolConfig["sources"][string]> = { ...before.sources };
  const values: Record<string, unknown> = {};
  for (const key of LIVE_PARAM_KEYS) {
    values[key] = fresh[key];
    if (fresh.origins[key] !== undefined) origins[key] = fresh.origins[key];
    if (fresh.sources[key] !== undefined) sources[key] = fresh.sources[key];
  }
  return { ...before, ...values, origins, sources } as SymbolConfig;
}

function describeChange(change: ReloadChange): string {
  const where = change.symbol === undefined ? "" : `${change.symbol} `;
  return `${where}${change.key} ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`;
}

const SECRET_KEYS = new Set(["matchingoMetadata", "controlToken"]);

/** Secrets never reach a log line, not even changed ones. */
function shown(key: string, value: unknown): unknown {
  return SECRET_KEYS.has(key) && value !== undefined ? "<redacted>" : value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
