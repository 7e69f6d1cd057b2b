import { delay } from "@matchingo-mm/core";
import { ClientError, type ClientMiddleware, Status } from "nice-grpc-common";
import { backoffDelayMs, type RetryOptions } from "../retry-policy.ts";
import { type DeadlineCallOptions, deadlineToMs } from "./deadline.ts";

export interface AttemptInfo {
  /** Full rpc path, `/matchingo.api.OrderBookService/CreateOrder`. */
  readonly path: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The attempt's gRPC status: OK, the error's code, CANCELLED when the caller aborted. */
  readonly code: Status;
  readonly durationMs: number;
}

export interface RetryCallOptions extends DeadlineCallOptions {
  /** `false` makes this call a single attempt. */
  retry?: boolean;
  /** Called after every attempt, successful or not. */
  onAttempt?: (info: AttemptInfo) => void;
}

export interface RetryMiddlewareOptions extends RetryOptions {
  /** The whole call's budget, retries and back-off included, when the caller gives no deadline. */
  readonly defaultDeadlineMs: number;
  /** Cap on one attempt, so a read that timed out can still be retried within the budget. */
  readonly attemptTimeoutMs?: number;
  readonly isRetryable: (path: string, code: Status) => boolean;
  readonly onAttempt?: (info: AttemptInfo) => void;
  readonly random?: () => number;
}

/**
 * Repeats transient failures within one overall deadline. Each attempt is handed a
 * `deadline` for the inner deadline middleware. Back-off waits end early when the caller
 * aborts, and a retry that could not start before the deadline is not made: the last
 * error is thrown instead.
 */
export function retryMiddleware(
  config: RetryMiddlewareOptions,
): ClientMiddleware<RetryCallOptions, DeadlineCallOptions> {
  return async function* retry(call, options) {
    const { retry: retryEnabled = true, onAttempt, deadline, ...rest } = options;
    const path = call.method.path;
    const overallDeadline =
      deadline === undefined ? Date.now() + config.defaultDeadlineMs : deadlineToMs(deadline);
    const maxAttempts = retryEnabled ? config.maxAttempts : 1;
    const report = (info: AttemptInfo) => {
      notify(config.onAttempt, info);
      notify(onAttempt, info);
    };

    for (let attempt = 1; ; attempt++) {
      const startedAt = performance.now();
      const attemptDeadline =
        config.attemptTimeoutMs === undefined
          ? overallDeadline
          : Math.min(overallDeadline, Date.now() + config.attemptTimeoutMs);
      try {
        const response = yield* call.next(call.request, { ...rest, deadline: attemptDeadline });
        report({ path, attempt, code: Status.OK, durationMs: performance.now() - startedAt });
        return response;
      } catch (error) {
        const code = statusOf(error, rest.signal);
        report({ path, attempt, code, durationMs: performance.now() - startedAt });
        if (
          rest.signal?.aborted ||
          !(error instanceof ClientError) ||
          attempt >= maxAttempts ||
          !config.isRetryable(path, error.code)
        ) {
          throw error;
        }
        const waitMs = backoffDelayMs(attempt, config, config.random);
        if (Date.now() + waitMs >= overallDeadline) throw error;
        await delay(waitMs, { signal: rest.signal });
      }
    }
  };
}

function statusOf(error: unknown, signal: AbortSignal | undefined): Status {
  if (error instanceof ClientError) return error.code;
  if (signal?.aborted) return Status.CANCELLED;
  return Status.UNKNOWN;
}

/** A metrics hook must never break the call it observes. */
function notify(hook: ((info: AttemptInfo) => void) | undefined, info: AttemptInfo): void {
  try {
    hook?.(info);
  } catch {
    // deliberately ignored: see above
  }
}
