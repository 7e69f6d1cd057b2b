/**
 * A worker's heap, posted to the main thread now and then (issue 26): the main thread cannot
 * read another isolate's heap on Node 20, so each worker says it, as the host's `heap`
 * notification (`wire/heap.ts` has the figures).
 */
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { threadId } from "node:worker_threads";
import { heapFigures, watchHeapAfterGc } from "../../status/memory.ts";
import type { HeapFigures } from "../wire/heap.ts";

/** Every 10 s by default: memory moves slowly, and the message costs almost nothing. */
export const HEAP_REPORT_MS = 10_000;

/**
 * Posts the heap once now and then every `everyMs`, on a timer that never keeps the thread
 * alive; returns the function that stops it.
 */
export function startHeapReports(
  report: (heap: HeapFigures) => void,
  everyMs: number = HEAP_REPORT_MS,
): () => void {
  const gc = watchHeapAfterGc();
  const tell = () => report(heapFigures(gc.afterGc()));
  tell();
  const timer = setInterval(tell, everyMs);
  timer.unref();
  const snapshots = scheduleHeapSnapshots(process.env);
  return () => {
    clearInterval(timer);
    gc.stop();
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
