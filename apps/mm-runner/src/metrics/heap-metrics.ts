import { Gauge } from "prom-client";
import type { MemoryStatus } from "../status/memory.ts";
import type { HeapFigures } from "../workers/wire/heap.ts";
import type { FamilyContext, MetricFamily } from "./metric-family.ts";

/**
 * Each isolate's heap: the main thread's read at the scrape, each worker's as it last
 * reported it (issue 26). One series per thread: bounded by the configured symbols.
 */
export function heapMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus } = context;
  const heapGauge = (name: string, help: string) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ["thread", "symbol"] as const,
      registers,
      ...fromStatus,
    });
  const heapUsed = heapGauge(
    "heap_used_bytes",
    'V8 heap in use, by thread: thread="main", or thread="worker" with its symbol.',
  );
  const heapTotal = heapGauge(
    "heap_total_bytes",
    'V8 heap reserved, by thread: thread="main", or thread="worker" with its symbol.',
  );
  const heapExternal = heapGauge(
    "heap_external_bytes",
    "Memory of C++ objects bound to the thread's JS objects (buffers, sockets), by thread.",
  );
  const heapLive = heapGauge(
    "heap_live_bytes",
    "V8 heap in use just after the thread's last full collection (its live set: what a leak moves), by thread.",
  );
  const setHeaps = (memory: MemoryStatus): void => {
    const set = (labels: { thread: string; symbol?: string }, heap: HeapFigures) => {
      heapUsed.set(labels, heap.used);
      heapTotal.set(labels, heap.total);
      heapExternal.set(labels, heap.external);
      if (heap.afterGc !== undefined) heapLive.set(labels, heap.afterGc);
    };
    set({ thread: "main" }, memory.main);
    for (const [symbol, heap] of Object.entries(memory.workers)) {
      set({ thread: "worker", symbol }, heap);
    }
  };

  return {
    status: {
      gauges: [heapUsed, heapTotal, heapExternal, heapLive],
      read(status) {
        if (status.memory !== undefined) setHeaps(status.memory);
      },
    },
  };
}
