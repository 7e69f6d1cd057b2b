import type { MarketMakerEvent } from "@matchingo-mm/core";
import type { ChainEvent } from "@matchingo-mm/price-sources";

/** One gRPC attempt, as the worker forwards grpc-client's `onRpc` (`code` is the status name). */
export interface RpcEvent {
  readonly type: "rpc";
  readonly method: string;
  readonly code: string;
  readonly durationMs?: number;
}

/**
 * What the metrics count: core's market-maker events, the price chain's events and the
 * gRPC attempts, as they are or in wire form. Events cross a worker_thread boundary by
 * structured clone, which keeps data but drops classes, so only plain fields are read
 * (an error's `kind`, never `instanceof`).
 */
export type ObservedEvent =
  | MarketMakerEvent
  | ChainEvent
  | RpcEvent
  | { readonly type: string; readonly [field: string]: unknown };

/** The fields read from an error, whether it is a live `VenueError`/`PriceError` or wire data. */
export interface ErrorFields {
  readonly kind?: unknown;
  readonly message?: unknown;
}

/** Reads a string field of a loosely typed event; `fallback` when absent or not a string. */
export function text(event: object, key: string, fallback: string): string {
  const value = (event as Record<string, unknown>)[key];
  return typeof value === "string" && value !== "" ? value : fallback;
}

export function number(event: object, key: string): number | undefined {
  const value = (event as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function object(event: object, key: string): object | undefined {
  const value = (event as Record<string, unknown>)[key];
  return typeof value === "object" && value !== null ? value : undefined;
}

/** The `kind` of the event's `error` (a PriceError/VenueError kind), else `unknown`. */
export function errorKind(event: object): string {
  const error = object(event, "error");
  return error === undefined ? "unknown" : text(error, "kind", "unknown");
}
