import type { ChannelOptions } from "nice-grpc";
import type { MetadataInit } from "nice-grpc-common";
import type { TlsOptions } from "./channel.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./retry-policy.ts";
import type { RpcInfo } from "./types.ts";

export interface MatchingoClientOptions {
  /** `host:port` (plaintext unless `tls`), or `http://` / `https://host:port`. */
  readonly address: string;
  /** `true` for TLS with the system's roots, or PEMs for a private CA / mutual TLS. */
  readonly tls?: boolean | TlsOptions;
  /** Sent with every call (auth tokens). Values are never logged or put in errors. */
  readonly metadata?: MetadataInit;
  /** Budget of one call, retries and back-off included. Default 5000. */
  readonly deadlineMs?: number;
  /**
   * Cap on a single attempt, so a read that timed out can be retried within `deadlineMs`.
   * Default: none (an attempt may use what is left of the budget).
   */
  readonly attemptTimeoutMs?: number;
  /** Back-off for transient failures. Default `{ maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1000 }`. */
  readonly retry?: Partial<RetryOptions>;
  /** Sent as `user_address` on every CreateOrder (the market maker's id). Default "". */
  readonly userAddress?: string;
  /** grpc-js channel options; they override the keepalive and reconnect defaults. */
  readonly channelOptions?: ChannelOptions;
  /** Called after every attempt of every rpc, for metrics. Exceptions it throws are ignored. */
  readonly onRpc?: (info: RpcInfo) => void;
}

export interface ResolvedOptions {
  readonly deadlineMs: number;
  readonly attemptTimeoutMs: number | undefined;
  readonly retry: RetryOptions;
  readonly userAddress: string;
}

function positive(field: string, value: number, { integer = false } = {}): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${field} must be a positive number, got ${String(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new TypeError(`${field} must be a whole number, got ${value}`);
  }
  return value;
}

export function resolveOptions(options: MatchingoClientOptions): ResolvedOptions {
  if (typeof options.address !== "string" || options.address.trim() === "") {
    throw new TypeError(`address must be "host:port", got ${JSON.stringify(options.address)}`);
  }
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  positive("retry.maxAttempts", retry.maxAttempts, { integer: true });
  positive("retry.baseDelayMs", retry.baseDelayMs);
  positive("retry.maxDelayMs", retry.maxDelayMs);
  if (options.userAddress !== undefined && typeof options.userAddress !== "string") {
    throw new TypeError(`userAddress must be a string, got ${typeof options.userAddress}`);
  }
  return {
    deadlineMs: positive("deadlineMs", options.deadlineMs ?? 5_000),
    attemptTimeoutMs:
      options.attemptTimeoutMs === undefined
        ? undefined
        : positive("attemptTimeoutMs", options.attemptTimeoutMs),
    retry,
    userAddress: options.userAddress ?? "",
  };
}
