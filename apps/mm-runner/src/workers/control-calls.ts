import type { ControlResult, ToWorker } from "./protocol.ts";

/** An operator control message to a worker, before it gets its id. */
export type ControlMessage =
  | { readonly type: "pause"; readonly reason?: string }
  | { readonly type: "resume" }
  | Omit<Extract<ToWorker, { type: "params" }>, "id">;

/** Why a control message got no answer from a symbol's worker. */
export type UnavailableReason = "not-running" | "exited" | "timeout" | "stopping" | "aborted";

/** A symbol's worker could not take or answer a control message. */
export class WorkerUnavailableError extends Error {
  override readonly name = "WorkerUnavailableError";
  constructor(
    readonly symbol: string,
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ControlCalls {
  /** Posts the message with a new id and waits for the `control-result` with that id. */
  send(
    post: (message: ToWorker) => void,
    message: ControlMessage,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<ControlResult>;
  /** A `control-result` from the worker. */
  answer(result: ControlResult): void;
  /** The worker is gone: every call still waiting fails with this error. */
  failAll(error: WorkerUnavailableError): void;
}

interface Pending {
  readonly resolve: (result: ControlResult) => void;
  readonly reject: (error: Error) => void;
}

/** One worker's control calls in flight, matched to their answers by id. */
export function createControlCalls(symbol: string): ControlCalls {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  return {
    send(post, message, { timeoutMs, signal }) {
      const id = nextId++;
      return new Promise<ControlResult>((resolve, reject) => {
        const settle = () => {
          pending.delete(id);
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        };
        const onAbort = () => {
          settle();
          reject(
            new WorkerUnavailableError(symbol, "aborted", `${symbol}: stopped waiting (aborted)`, {
              cause: signal?.reason,
            }),
          );
        };
        const timer = setTimeout(() => {
          settle();
          reject(
            new WorkerUnavailableError(
              symbol,
              "timeout",
              `${symbol}'s worker did not answer ${message.type} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        pending.set(id, {
          resolve: (result) => {
            settle();
            resolve(result);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        try {
          post({ ...message, id } as ToWorker);
        } catch (error) {
          settle();
          reject(
            new WorkerUnavailableError(symbol, "exited", `${symbol}'s worker is gone`, {
              cause: error,
            }),
          );
        }
      });
    },
    answer(result) {
      pending.get(result.id)?.resolve(result);
    },
    failAll(error) {
      for (const call of [...pending.values()]) call.reject(error);
    },
  };
}
