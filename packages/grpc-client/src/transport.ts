import { VenueError } from "@matchingo-mm/core";
import { type Channel, type Client, createClientFactory } from "nice-grpc";
import type { Metadata } from "nice-grpc-common";
import { OrderBookServiceDefinition } from "./gen/orderbook.ts";
import { toMetadata } from "./metadata.ts";
import { deadlineMiddleware } from "./middleware/deadline.ts";
import { metadataMiddleware } from "./middleware/metadata.ts";
import { type AttemptInfo, type RetryCallOptions, retryMiddleware } from "./middleware/retry.ts";
import type { ResolvedOptions } from "./options.ts";
import { isRetryable, methodName } from "./retry-policy.ts";
import type { MatchingoCallOptions, RpcInfo } from "./types.ts";
import { refused, statusName } from "./venue-error.ts";

/** The generated nice-grpc client with our deadline, retry and metadata middleware. */
export type RawMatchingoClient = Client<typeof OrderBookServiceDefinition, RetryCallOptions>;

/** Counts the attempts of one call, so an answer can be read knowing whether it was a retry. */
export interface AttemptCounter {
  attempts: number;
}

export interface Transport {
  readonly raw: RawMatchingoClient;
  /**
   * Call options for one public call. Every rpc it makes (a follow-up included) shares
   * one deadline, so the caller's budget holds for the call as a whole.
   */
  begin(method: string, options: MatchingoCallOptions | undefined): CallScope;
}

export interface CallScope {
  readonly signal: AbortSignal | undefined;
  options(counter?: AttemptCounter): RetryCallOptions;
}

export function createTransport(
  channel: Channel,
  baseMetadata: Metadata,
  resolved: ResolvedOptions,
  onRpc: ((info: RpcInfo) => void) | undefined,
  isClosed: () => boolean,
): Transport {
  const reportRpc = onRpc && ((info: AttemptInfo) => onRpc(toRpcInfo(info)));

  // The last `use` is the outermost: metadata, then retry (whole budget), then deadline
  // (one attempt) around the wire call.
  const raw = createClientFactory()
    .use(deadlineMiddleware())
    .use(
      retryMiddleware({
        ...resolved.retry,
        defaultDeadlineMs: resolved.deadlineMs,
        isRetryable,
        ...(resolved.attemptTimeoutMs === undefined
          ? {}
          : { attemptTimeoutMs: resolved.attemptTimeoutMs }),
        ...(reportRpc ? { onAttempt: reportRpc } : {}),
      }),
    )
    .use(metadataMiddleware(baseMetadata))
    .create(OrderBookServiceDefinition, channel);

  return {
    raw,
    begin(method, callOptions = {}) {
      if (isClosed()) {
        throw new VenueError(`${method} not sent: the client is closed`, {
          kind: "unknown",
          method,
        });
      }
      let metadata: Metadata | undefined;
      try {
        metadata = callOptions.metadata && toMetadata(callOptions.metadata, "metadata");
      } catch (error) {
        throw refused(method, error instanceof Error ? error.message : String(error), error);
      }
      const budgetMs = callOptions.deadlineMs ?? resolved.deadlineMs;
      if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
        throw refused(method, `deadlineMs must be a positive number, got ${String(budgetMs)}`);
      }
      const deadline = Date.now() + budgetMs;
      const { signal, onRpc: callerOnRpc } = callOptions;
      return {
        signal,
        options(counter) {
          const onAttempt =
            counter || callerOnRpc
              ? (info: AttemptInfo) => {
                  if (counter) counter.attempts = info.attempt;
                  callerOnRpc?.(toRpcInfo(info));
                }
              : undefined;
          return {
            deadline,
            ...(signal ? { signal } : {}),
            ...(metadata ? { metadata } : {}),
            ...(onAttempt ? { onAttempt } : {}),
          };
        },
      };
    },
  };
}

function toRpcInfo(info: AttemptInfo): RpcInfo {
  return {
    method: methodName(info.path),
    code: info.code,
    codeName: statusName(info.code),
    durationMs: info.durationMs,
    attempt: info.attempt,
  };
}
