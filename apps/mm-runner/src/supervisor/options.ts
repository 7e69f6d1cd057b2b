import type { PriceFeed } from "@matchingo-mm/core";
import type { Logger } from "pino";
import type { Problem } from "../config/raw.ts";
import type { SymbolConfig } from "../config/types.ts";
import type { SymbolBooks } from "../ledger/symbol-books.ts";
import type { OpsMetrics } from "../metrics/ops-metrics.ts";
import type { MemoryBook } from "../status/memory.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";
import type { SharedVenue } from "../workers/host/venue-api.ts";
import type { WorkerInit } from "../workers/wire/protocol.ts";

export interface SupervisorOptions {
  readonly symbols: readonly SymbolConfig[];
  /** Each symbol's status, made by the runner (the price chain notes into it too). */
  readonly trackers: ReadonlyMap<string, SymbolTracker>;
  /** The runner's state folder (journals). */
  readonly runnerDir: string;
  readonly venue: WorkerInit["venue"];
  readonly createOrderBook: boolean;
  /** Core's share of the shutdown budget. */
  readonly workerShutdownMs: number;
  readonly logger: Logger;
  /** The one shared price feed of the process. */
  readonly feed: PriceFeed;
  /**
   * The process's one venue client: it makes every worker's calls (one gRPC channel for
   * all symbols) and cancels a dead worker's orders.
   */
  readonly gateway: SharedVenue;
  readonly metrics?: OpsMetrics;
  /** The runner's ledger: where each worker starts from, and the booking of its fills. */
  readonly books: SymbolBooks;
  /** Symbols whose ladder was already checked at a real price. */
  readonly checked: Set<string>;
  /** A symbol's first price shows its configuration cannot quote: the runner stops (exit 2). */
  readonly onConfigProblems: (problems: Problem[]) => void;
  /** A worker's journal file vanished or was replaced: the runner stops this run. */
  readonly onStateLost?: (message: string) => void;
  /** Where each worker's heap reports go (`/status.memory`, `/metrics`, the page). */
  readonly memory?: MemoryBook;
  /** Back-off of restarts: 1 s, 2 s, 4 s ... up to this. */
  readonly maxRestartDelayMs?: number;
  /** Workers booting at once at `start()`; the next boots when one has (8). */
  readonly startConcurrency?: number;
  /** How long a control message may wait for its worker's answer. Default: the worker's shutdown budget + 5 s. */
  readonly controlTimeoutMs?: number;
  /**
   * The venue's trade stream, read on the main thread: workers get its fills as `fill`
   * notifications (see `deliverFill`) and say when core has seen one (`fillSeen`).
   */
  readonly fills?: {
    live(): boolean;
    settle(key: string): void;
    /** A worker of `symbol` started: hand it the fills its predecessor did not book. */
    redeliver(symbol: string): void;
    /**
     * A stopping worker cancelled its last order: resolves once the stream has handed out
     * every fill published until now (its last fills are booked before it stops).
     */
    readToEnd(signal: AbortSignal): Promise<void>;
  };
}
