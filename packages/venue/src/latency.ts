import { ServerError, type ServerMiddleware, Status } from "nice-grpc";

/**
 * Delays every rpc by the current latency (fault injection: a venue slow enough to hit client
 * deadlines). The rpc is still carried out after the delay even when the client has given up,
 * like a real server that received the request: a CreateOrder that timed out on the client may
 * still have placed its order. Only the venue shutting down cuts the delay short.
 */
export function latencyMiddleware(
  latencyMs: () => number,
  shutdown: AbortSignal,
): ServerMiddleware {
  return async function* delayCall(call, context) {
    const ms = latencyMs();
    if (ms > 0) await delay(ms, shutdown);
    return yield* call.next(call.request, context);
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopped = () => new ServerError(Status.UNAVAILABLE, "the venue is shutting down");
    if (signal.aborted) return reject(stopped());
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`latencyMs must be a finite number >= 0, got ${ms}`);
  }
  return ms;
}
