/** How long a crashed worker waits before it is started again. */
export interface RestartState {
  /** When the worker that crashed was started (ms since the epoch). */
  readonly startedAt: number;
  /** Restarts in a row so far. */
  readonly restarts: number;
}

/** A worker that ran this long before it crashed earns a fresh back-off. */
export const STEADY_RUN_MS = 60_000;

/**
 * Back-off of restarts: 1 s, 2 s, 4 s ... up to `maxDelayMs`, starting over once a worker
 * ran a good while. Answers the delay and the restart count after this one.
 */
export function nextRestart(
  state: RestartState,
  now: number,
  maxDelayMs: number,
): { readonly delayMs: number; readonly restarts: number } {
  const before = now - state.startedAt > STEADY_RUN_MS ? 0 : state.restarts;
  return { delayMs: Math.min(maxDelayMs, 1000 * 2 ** before), restarts: before + 1 };
}
