import { Status } from "nice-grpc-common";

export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retries off. */
  readonly maxAttempts: number;
  /** Cap of the first back-off; it doubles with each further attempt. */
  readonly baseDelayMs: number;
  /** No back-off is longer than this. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000 };

/** Rpcs that change nothing on the venue: safe to repeat after a timeout. */
const READ_METHODS: ReadonlySet<string> = new Set([
  "GetOrder",
  "GetOrderBook",
  "GetOrderBookState",
  "ListOrderBooks",
]);

/** `/matchingo.api.OrderBookService/CreateOrder` → `CreateOrder`. */
export function methodName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Transient failures only. UNAVAILABLE means the request did not reach the service or the
 * connection broke, so any rpc may be repeated (CreateOrder's ALREADY_EXISTS and
 * CancelOrder's NOT_FOUND turn a repeat that meets its own first attempt into success).
 * A timed-out write may have been applied, so DEADLINE_EXCEEDED is retried for reads only.
 * Everything else (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, INTERNAL, ...) is an
 * answer, and asking again would get the same answer. (An INTERNAL that grpc-js made up
 * after a stream reset is no answer, but the write may have been applied: it is not
 * repeated blindly either; the caller tracks it as outcome-unknown.)
 */
export function isRetryable(path: string, code: Status): boolean {
  if (code === Status.UNAVAILABLE) return true;
  return code === Status.DEADLINE_EXCEEDED && READ_METHODS.has(methodName(path));
}

/**
 * Exponential back-off with full jitter: uniform in [0, min(max, base * 2^(attempt-1))),
 * so clients that failed together do not come back together.
 * `attempt` is the attempt that just failed, starting at 1.
 */
export function backoffDelayMs(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
