/**
 * A worker's heap, posted to the main thread now and then (issue 26): the main thread cannot
 * read another isolate's heap on Node 20, so each worker says it. One small message, in one
 * module, so the worker/host messaging does not change for it.
 */
import { join } from "node:path";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { threadId } from "node:worker_threads";

/** One isolate's memory, bytes. */
export interface HeapFigures {
  /** V8 heap in use (`used_heap_size`). */
  readonly used: number;
  /** V8 heap reserved (`total_heap_size`). */
  readonly total: number;
  /** Memory of C++ objects bound to this isolate's JS objects (`process.memoryUsage().external`). */
  readonly external: number;
  /**
   * Heap in use just after the last full (mark-sweep-compact) collection: the live set,
   * without the garbage `used` also counts between collections. What a leak moves.
   * Absent before the first one.
   */
  readonly afterGc?: number;
}

/** What a worker posts: `{ type: "heap", heap }`. */
export interface HeapMessage {
  readonly type: "heap";
  readonly heap: HeapFigures;
}

/** Every 10 s by default: memory moves slowly, and the message costs almost nothing. */
export const HEAP_REPORT_MS = 10_000;

/**
 * Watches this isolate's full collections and keeps the heap in use right after the last
 * one (read in the observer's callback, a moment after the collection).
 */
export function watchHeapAfterGc(): { readonly afterGc: () => number | undefined } {
  let after: number | undefined;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) after = getHeapStatistics().used_heap_size;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return { afterGc: () => after };
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

/**
 * Posts the heap once now and then every `everyMs`, on a timer that never keeps the thread
 * alive; returns the function that stops it.
 */
export function startHeapReports(
  post: (message: HeapMessage) => void,
  everyMs: number = HEAP_REPORT_MS,
): () => void {
  const gc = watchHeapAfterGc();
  const report = () => post({ type: "heap", heap: heapFigures(gc.afterGc()) });
  report();
  const timer = setInterval(report, everyMs);
  timer.unref();
  const snapshots = scheduleHeapSnapshots(process.env);
  return () => {
    clearInterval(timer);
    for (const each of snapshots) clearTimeout(each);
  };
}

/**
 * For finding what grows (issue 26; the soak bench sets these, never production):
 * `MM_TEST_HEAP_SNAPSHOT_DIR` and `MM_TEST_HEAP_SNAPSHOT_SECONDS=180,480` make this thread
 * write a V8 heap snapshot at those seconds of its life, `worker-<thread>-<s>s.heapsnapshot`
 * (the main thread has Node's `--heapsnapshot-signal`; a worker gets no signals).
 */
export function scheduleHeapSnapshots(
  env: Readonly<Record<string, string | undefined>>,
): NodeJS.Timeout[] {
  const dir = env.MM_TEST_HEAP_SNAPSHOT_DIR;
  const seconds = (env.MM_TEST_HEAP_SNAPSHOT_SECONDS ?? "")
    .split(",")
    .map(Number)
    .filter((s) => Number.isFinite(s) && s > 0);
  if (!dir || seconds.length === 0) return [];
  return seconds.map((at) => {
    const timer = setTimeout(() => {
      writeHeapSnapshot(join(dir, `worker-${threadId}-${at}s.heapsnapshot`));
    }, at * 1000);
    timer.unref();
    return timer;
  });
}
