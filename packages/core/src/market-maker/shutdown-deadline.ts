/**
 * The shutdown deadline: once armed, it aborts every gateway call still in flight when
 * `timeoutMs` passes, so a stop can never hang on a venue that does not answer.
 */
export interface ShutdownDeadline {
  /** Passed to every gateway call. */
  readonly signal: AbortSignal;
  /** Starts the countdown; answers when it ends (performance.now() ms) and how to disarm. */
  arm(timeoutMs: number): { readonly endsAt: number; readonly disarm: () => void };
}

export function createShutdownDeadline(): ShutdownDeadline {
  let controller = new AbortController();
  return {
    get signal() {
      return controller.signal;
    },
    arm(timeoutMs) {
      const armed = controller;
      const timer = setTimeout(() => armed.abort(new Error("shutdown deadline passed")), timeoutMs);
      return {
        endsAt: performance.now() + timeoutMs,
        disarm: () => {
          clearTimeout(timer);
          // A passed deadline must not cut the calls of whatever runs next.
          if (controller.signal.aborted) controller = new AbortController();
        },
      };
    },
  };
}
