import type { Clock, PriceErrorKind } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";

export interface BackoffOptions {
  /** Cooldown after the first failure. Default 1000 ms. */
  readonly initialMs?: number;
  /** Longest cooldown. Default 60 000 ms. */
  readonly maxMs?: number;
  /** Growth per consecutive failure. Default 2. */
  readonly factor?: number;
}

/** Failures that say the source as a whole is in trouble, not one symbol on it. */
const SOURCE_WIDE: ReadonlySet<PriceErrorKind> = new Set([
  "unreachable",
  "timeout",
  "http-status",
  "rate-limited",
  "bad-payload",
  "cooling-down",
  "all-sources-failed",
]);

export function isSourceWide(error: PriceError): boolean {
  return SOURCE_WIDE.has(error.kind);
}

export interface HealthEntry {
  readonly failures: number;
  /** The source is not asked before this time (ms since the epoch). */
  readonly coolingUntil: number;
  /** When the current run of failures began. */
  readonly failingSince: number | undefined;
}

export type FailureOutcome =
  | { readonly counted: true; readonly failures: number; readonly retryInMs: number }
  | { readonly counted: false };

/** Back-off bookkeeping for one key (a source, or a source and a symbol). */
export interface HealthBook {
  /** The `cooling-down` error while `key` is left alone, else undefined. */
  cooling(key: string, source: string, symbol?: string): PriceError | undefined;
  /**
   * Records a failure. A `cooling-down` answer (the source refused by itself) only moves
   * the next attempt to its `retryAfterMs`; other failures grow the back-off, and a
   * `Retry-After` is never cut short.
   */
  failed(key: string, error: PriceError): FailureOutcome;
  /** Records a success; answers how long it had been failing, if it had. */
  succeeded(key: string): number | undefined;
  get(key: string): HealthEntry | undefined;
}

export function createHealthBook(clock: Clock, options: BackoffOptions = {}): HealthBook {
  const initialMs = positive("backoff.initialMs", options.initialMs ?? 1000);
  const maxMs = positive("backoff.maxMs", options.maxMs ?? 60_000);
  const factor = positive("backoff.factor", options.factor ?? 2);
  const entries = new Map<string, HealthEntry>();

  return {
    cooling(key, source, symbol) {
      const entry = entries.get(key);
      const remaining = entry ? entry.coolingUntil - clock.now() : 0;
      if (remaining <= 0) return undefined;
      return new PriceError(
        `${source}: left alone for ${remaining} ms more after ${entry?.failures ?? 0} failure(s)`,
        { kind: "cooling-down", source, symbol, retryAfterMs: remaining },
      );
    },
    failed(key, error) {
      const now = clock.now();
      const entry = entries.get(key);
      if (error.kind === "cooling-down") {
        entries.set(key, {
          failures: entry?.failures ?? 0,
          coolingUntil: Math.max(entry?.coolingUntil ?? 0, now + (error.retryAfterMs ?? 0)),
          failingSince: entry?.failingSince,
        });
        return { counted: false };
      }
      const failures = (entry?.failures ?? 0) + 1;
      const backoff = Math.min(maxMs, initialMs * factor ** (failures - 1));
      const retryInMs = Math.max(backoff, error.retryAfterMs ?? 0);
      entries.set(key, {
        failures,
        coolingUntil: now + retryInMs,
        failingSince: entry?.failingSince ?? now,
      });
      return { counted: true, failures, retryInMs };
    },
    succeeded(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      return entry.failingSince === undefined ? undefined : clock.now() - entry.failingSince;
    },
    get(key) {
      return entries.get(key);
    },
  };
}

function positive(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`${field} must be a positive number, got ${value}`);
  }
  return value;
}
