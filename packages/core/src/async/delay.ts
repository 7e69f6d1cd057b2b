/**
 * Two delays that differ only in what an abort does, named for it, so a caller picks one
 * on purpose: `delay` rejects (the caller's work stops there, as a retry's backoff should),
 * `delayEndingOnAbort` resolves early (the caller carries on to its own shutdown, as a
 * loop's wait between cycles should).
 */
export interface DelayOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * Resolves after `ms`; rejects with the signal's reason (an `AbortError` when the reason
 * is not an `Error`) as soon as `signal` aborts, at once if it already has.
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (or already has); never rejects. */
export function delayEndingOnAbort(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The signal's reason when it is an `Error`, else an `AbortError` (as `fetch` throws). */
function abortError(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("The operation was aborted");
  error.name = "AbortError";
  return error;
}
