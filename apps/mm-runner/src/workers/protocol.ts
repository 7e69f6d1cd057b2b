import type { MarketMakerSnapshot, PriceTick } from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";
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
}

/** A core event with its errors in wire form. */
export interface WireEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

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
