import type { MarketMakerEvent, MarketMakerSnapshot, PriceTick } from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
import type { RpcEvent } from "../ops/events.ts";
import type { WireError } from "./wire-error.ts";

/** What a worker is started with (`workerData`). Plain data only. */
export interface WorkerInit {
  readonly symbol: SymbolConfig;
  readonly venue: {
    readonly address: string;
    readonly tls: boolean;
    /** Secret; travels to the worker, never into a log line. */
    readonly metadata: Readonly<Record<string, string>>;
    /** Budget of one gRPC call, retries included. */
    readonly deadlineMs: number;
    /** Attempts of one gRPC call on transient failures; 1 means no retry. */
    readonly retryAttempts: number;
  };
  /** This book's journal file. */
  readonly journalPath: string;
  /** Create the book when the venue does not have it (also after a venue restart). */
  readonly createOrderBook: boolean;
  /** Time core has after a stop to cancel everything. */
  readonly shutdownTimeoutMs: number;
  /** Test hook: throw inside the worker after this many cycles (proves supervision). */
  readonly crashAfterCycles?: number;
}

/** A field as it crosses the thread boundary: structured clone keeps no Error class. */
type WireField<T> = T extends Error ? WireError : T;

/** An event with its `Error` fields in wire form; every other field keeps its type. */
export type ToWire<E> = { readonly [K in keyof E]: WireField<E[K]> };

/**
 * Core's event union as it arrives from a worker, still discriminated by `type`: a reader
 * that switches on `type` gets each event's own fields, and a misspelt one does not compile.
 */
export type WireMarketMakerEvent = MarketMakerEvent extends infer E
  ? E extends MarketMakerEvent
    ? ToWire<E>
    : never
  : never;

/** What a worker posts as an `event`: core's events, and one line per gRPC attempt. */
export type WireEvent = WireMarketMakerEvent | RpcEvent;

export interface StopSummaryWire {
  readonly canceled: number;
  readonly alreadyGone: number;
  readonly failed: readonly string[];
}

export type ToWorker =
  | {
      readonly type: "price";
      readonly id: number;
      readonly tick?: PriceTick;
      readonly error?: WireError;
    }
  | { readonly type: "stop" };

export type FromWorker =
  | { readonly type: "price-request"; readonly id: number; readonly symbol: string }
  | { readonly type: "event"; readonly event: WireEvent }
  /** Core's view after a cycle or a fill: our orders, fills, position. */
  | { readonly type: "snapshot"; readonly snapshot: MarketMakerSnapshot }
  | {
      readonly type: "log";
      readonly level: "debug" | "info" | "warn" | "error";
      readonly msg: string;
      readonly fields?: Readonly<Record<string, unknown>>;
      readonly error?: WireError;
    }
  | { readonly type: "stopped"; readonly summary: StopSummaryWire }
  | { readonly type: "failed"; readonly error: WireError };
