import type { MarketMakerEvent } from "@matchingo-mm/core";
import type { ChainEvent } from "@matchingo-mm/price-sources";
import type { WireMarketMakerEvent } from "../workers/wire/protocol.ts";
import type { WireError } from "../workers/wire/wire-error.ts";

/** One gRPC attempt, from grpc-client's `onRpc` (`code` is the status name). */
export interface RpcEvent {
  readonly type: "rpc";
  readonly method: string;
  readonly code: string;
  readonly durationMs?: number;
}

/**
 * What the metrics count: core's market-maker events (live, or in wire form from a worker),
 * the price chain's events and the gRPC attempts. One discriminated union: a `switch` on
 * `type` sees each event's own fields.
 */
export type ObservedEvent = MarketMakerEvent | WireMarketMakerEvent | ChainEvent | RpcEvent;

/**
 * The `kind` of an error, live (`VenueError`, `PriceError`) or in wire form: structured
 * clone drops classes, so the plain field is read, never `instanceof`.
 */
export function errorKind(error: Error | WireError | undefined): string {
  const kind = (error as { kind?: unknown } | undefined)?.kind;
  return typeof kind === "string" && kind !== "" ? kind : "unknown";
}
