/**
 * Calls `listener` with `value` (nothing when there is no listener) and keeps its failure
 * to itself: a throw, or the rejection of a promise it returns, goes to `onError` when
 * given and is swallowed either way, so one listener's bug costs neither the caller's work
 * nor the other listeners their call. `onError`'s own throw is swallowed too.
 * Answers false when the listener threw synchronously.
 */
export function callListener<T>(
  listener: ((value: T) => unknown) | undefined,
  value: T,
  onError?: (error: unknown) => void,
): boolean {
  if (!listener) return true;
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      // The reporter failing must not turn a listener's bug into the caller's.
    }
  };
  try {
    const result = listener(value);
    if (isThenable(result)) result.then(undefined, report);
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
