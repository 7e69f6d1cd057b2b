import { ClientError, type ClientMiddleware, Status } from "nice-grpc-common";

export interface DeadlineCallOptions {
  /** When the call must be over: a `Date` or ms since the epoch. */
  deadline?: Date | number;
}

export function deadlineToMs(deadline: Date | number): number {
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

/**
 * Enforces `options.deadline` on one call: at the deadline the call is cancelled (the
 * server sees RST_STREAM) and fails with DEADLINE_EXCEEDED. nice-grpc itself has no
 * deadline; without this a call to a venue that accepted but never answers would hang.
 */
export function deadlineMiddleware(): ClientMiddleware<DeadlineCallOptions> {
  return async function* deadline(call, options) {
    const { deadline, signal: callerSignal, ...rest } = options;
    if (deadline === undefined) {
      return yield* call.next(call.request, options);
    }
    const remainingMs = deadlineToMs(deadline) - Date.now();
    if (remainingMs <= 0) {
      throw new ClientError(
        call.method.path,
        Status.DEADLINE_EXCEEDED,
        "deadline passed before sending",
      );
    }
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forwardAbort();
    callerSignal?.addEventListener("abort", forwardAbort, { once: true });
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      controller.abort();
    }, remainingMs);
    try {
      return yield* call.next(call.request, { ...rest, signal: controller.signal });
    } catch (error) {
      if (expired && !callerSignal?.aborted) {
        throw new ClientError(
          call.method.path,
          Status.DEADLINE_EXCEEDED,
          `no answer within ${Math.round(remainingMs)}ms`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", forwardAbort);
    }
  };
}
