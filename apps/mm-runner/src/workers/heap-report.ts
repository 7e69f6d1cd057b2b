/**
 * A worker's heap, posted to the main thread now and then (issue 26): the main thread cannot
 * read another isolate's heap on Node 20, so each worker says it. One small message, in one
 * module, so the worker/host messaging does not change for it.
 */
import { getHeapStatistics } from "node:v8";

/** One isolate's memory, bytes. */
export interface HeapFigures {
  /** V8 heap in use (`used_heap_size`). */
  readonly used: number;
  /** V8 heap reserved (`total_heap_size`). */
  readonly total: number;
  /** Memory of C++ objects bound to this isolate's JS objects (`process.memoryUsage().external`). */
  readonly external: number;
}

/** What a worker posts: `{ type: "heap", heap }`. */
export interface HeapMessage {
  readonly type: "heap";
  readonly heap: HeapFigures;
}

/** Every 10 s by default: memory moves slowly, and the message costs almost nothing. */
export const HEAP_REPORT_MS = 10_000;

/** This isolate's heap now. */
export function heapFigures(): HeapFigures {
  const stats = getHeapStatistics();
  return {
    used: stats.used_heap_size,
    total: stats.total_heap_size,
    external: stats.external_memory,
  };
}

/**
 * Posts the heap once now and then every `everyMs`, on a timer that never keeps the thread
 * alive; returns the function that stops it.
 */
export function startHeapReports(
  post: (message: HeapMessage) => void,
  everyMs: number = HEAP_REPORT_MS,
): () => void {
  const report = () => post({ type: "heap", heap: heapFigures() });
  report();
  const timer = setInterval(report, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
