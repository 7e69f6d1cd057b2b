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
  // One listener on the shutdown signal for every delay in flight (not one per call, which
  // would pile up past EventTarget's listener limit under load).
  const waiting = new Set<() => void>();
  shutdown.addEventListener("abort", () => {
    for (const cut of waiting) cut();
    waiting.clear();
  });
  const delay = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const stopped = () => new ServerError(Status.UNAVAILABLE, "the venue is shutting down");
      if (shutdown.aborted) return reject(stopped());
      const cut = () => {
        clearTimeout(timer);
        reject(stopped());
      };
      const timer = setTimeout(() => {
        waiting.delete(cut);
        resolve();
      }, ms);
      waiting.add(cut);
    });

  return async function* delayCall(call, context) {
    const ms = latencyMs();
    if (ms > 0) await delay(ms);
    return yield* call.next(call.request, context);
  };
}

export function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`latencyMs must be a finite number >= 0, got ${ms}`);
  }
  return ms;
}
