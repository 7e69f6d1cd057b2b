export interface ShutdownBudget {
  /** How long the supervisor waits for the workers before terminating the stragglers. */
  readonly workersMs: number;
  /** Core's own deadline inside a worker: shorter, so the worker can report and exit in time. */
  readonly coreMs: number;
  /** Kept for the main thread's final sweep of the journals, whatever the workers took. */
  readonly sweepMs: number;
  /** Left at the end for the summary, closing and exiting. */
  readonly marginMs: number;
}

/**
 * Splits SHUTDOWN_TIMEOUT_SECONDS. The final sweep is the last chance to cancel what a
 * worker could not (a worker terminated under load leaves its whole ladder to it), so it
 * gets a real share up front instead of whatever the workers leave over: 30 % of the
 * timeout, at least 1 s (or 40 % of a shorter timeout), at most 5 s.
 */
export function shutdownBudget(timeoutMs: number): ShutdownBudget {
  const marginMs = Math.round(Math.min(300, timeoutMs * 0.05));
  const sweepMs = Math.round(
    Math.min(5_000, Math.max(timeoutMs * 0.3, Math.min(1_000, timeoutMs * 0.4))),
  );
  const workersMs = Math.max(100, timeoutMs - sweepMs - marginMs);
  const coreMs = Math.max(50, workersMs - Math.min(300, Math.round(workersMs * 0.1)));
  return { workersMs, coreMs, sweepMs, marginMs };
}
