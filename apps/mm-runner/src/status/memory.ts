/**
 * The runner's memory as `/status`, `/metrics` and the page show it (issue 26): the main
 * thread's own figures read at each snapshot, and each worker's heap as it last posted it
 * (workers/heap-report.ts). Kept per configured symbol, so it never outgrows the symbols.
 * The sampling functions live here, the lowest layer both threads use.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import type { HeapFigures } from "../workers/wire/heap.ts";

/**
 * Watches this isolate's full collections and keeps the heap in use right after the last
 * one (read in the observer's callback, a moment after the collection).
 */
export function watchHeapAfterGc(): {
  readonly afterGc: () => number | undefined;
  readonly stop: () => void;
} {
  let after: number | undefined;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) after = getHeapStatistics().used_heap_size;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return { afterGc: () => after, stop: () => observer.disconnect() };
}

/** This isolate's heap now, with the live set after the last full collection when known. */
export function heapFigures(afterGc?: number): HeapFigures {
  const stats = getHeapStatistics();
  return {
    used: stats.used_heap_size,
    total: stats.total_heap_size,
    external: stats.external_memory,
    ...(afterGc === undefined ? {} : { afterGc }),
  };
}

export interface MemoryStatus {
  /** Resident set size of the whole process (every thread), bytes. */
  readonly rss: number;
  /** Outside V8's heaps: ArrayBuffers and C++ objects of the main isolate, bytes. */
  readonly external: number;
  readonly arrayBuffers: number;
  readonly main: HeapFigures;
  /** Each worker's heap by symbol, as it last reported it (absent until its first report). */
  readonly workers: Readonly<Record<string, HeapFigures & { readonly at: number }>>;
  /** The workers' heaps added up (`afterGc`: each worker's, or its `used` before its first). */
  readonly workersTotal: HeapFigures;
}

export interface MemoryBook {
  /** A worker's report. */
  noteWorker(symbol: string, heap: HeapFigures): void;
  /** The worker is gone for good (the runner stops it, or its symbol is removed). */
  forget(symbol: string): void;
  read(): MemoryStatus;
}

export function createMemoryBook(now: () => number = Date.now): MemoryBook {
  const workers = new Map<string, HeapFigures & { at: number }>();
  const gc = watchHeapAfterGc();
  return {
    noteWorker(symbol, heap) {
      // Only the known fields: a report is stored as is for as long as the symbol runs.
      workers.set(symbol, {
        used: heap.used,
        total: heap.total,
        external: heap.external,
        ...(heap.afterGc === undefined ? {} : { afterGc: heap.afterGc }),
        at: now(),
      });
    },
    forget(symbol) {
      workers.delete(symbol);
    },
    read() {
      const usage = process.memoryUsage();
      const workersTotal = { used: 0, total: 0, external: 0, afterGc: 0 };
      for (const heap of workers.values()) {
        workersTotal.used += heap.used;
        workersTotal.total += heap.total;
        workersTotal.external += heap.external;
        // A worker not collected fully yet counts with what it uses now.
        workersTotal.afterGc += heap.afterGc ?? heap.used;
      }
      return {
        rss: usage.rss,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
        main: heapFigures(gc.afterGc()),
        workers: Object.fromEntries(workers),
        workersTotal,
      };
    },
  };
}
