import { expect, it } from "vitest";
import { createOpsApp, createOpsMetrics, createStatusHistory } from "../../src/ops/index.ts";
import { createMemoryBook, heapFigures, type MemoryStatus } from "../../src/status/memory.ts";
import type { RunnerStatus } from "../../src/status/runner-status.ts";
import { startHeapReports } from "../../src/workers/thread/heap-report.ts";

const MIB = 1024 * 1024;

it("keeps one heap per worker, the latest report, and adds them up", () => {
  const book = createMemoryBook(() => 1_000);
  book.noteWorker("A-USDT", { used: 4 * MIB, total: 6 * MIB, external: MIB, afterGc: 3 * MIB });
  book.noteWorker("B-USDT", { used: 5 * MIB, total: 7 * MIB, external: MIB });
  // Reports replace each other: a worker reporting for days is still one entry.
  for (let i = 0; i < 100; i++) {
    book.noteWorker("A-USDT", { used: 2 * MIB, total: 6 * MIB, external: MIB, afterGc: 2 * MIB });
  }
  const memory = book.read();
  expect(Object.keys(memory.workers)).toEqual(["A-USDT", "B-USDT"]);
  expect(memory.workers["A-USDT"]).toEqual({
    used: 2 * MIB,
    total: 6 * MIB,
    external: MIB,
    afterGc: 2 * MIB,
    at: 1_000,
  });
  // B has not been fully collected yet: its `used` stands in for its live set.
  expect(memory.workersTotal).toEqual({
    used: 7 * MIB,
    total: 13 * MIB,
    external: 2 * MIB,
    afterGc: 7 * MIB,
  });
  expect(memory.main.used).toBeGreaterThan(0);
  expect(memory.rss).toBeGreaterThan(memory.main.used);
  book.forget("A-USDT");
  expect(Object.keys(book.read().workers)).toEqual(["B-USDT"]);
});

it("a worker posts its heap at once and then on a timer that it can stop", async () => {
  const posted: unknown[] = [];
  const stop = startHeapReports((heap) => posted.push(heap), 20);
  expect(posted).toHaveLength(1);
  await new Promise((resolve) => setTimeout(resolve, 120));
  stop();
  const count = posted.length;
  expect(count).toBeGreaterThan(1);
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(posted).toHaveLength(count);
  expect(posted[0]).toMatchObject({ used: expect.any(Number) });
  expect(Object.keys(heapFigures()).sort()).toEqual(["external", "total", "used"]);
});

const memory = (rss: number, main: number, workers: number): MemoryStatus => ({
  rss,
  external: MIB,
  arrayBuffers: 0,
  main: { used: main, total: main * 2, external: MIB, afterGc: main / 2 },
  workers: { "BTC-USDT": { used: workers, total: workers * 2, external: 0, at: 0 } },
  workersTotal: { used: workers, total: workers * 2, external: 0 },
});
const status = (now: number, m: MemoryStatus): RunnerStatus => ({
  now,
  venue: { address: "127.0.0.1:1", embedded: false },
  synthetic: false,
  memory: m,
  symbols: [],
});

it("keeps memory samples at its own pace, bounded, and serves them on /history/memory", async () => {
  const history = createStatusHistory({ memorySamples: 3, memoryEverySeconds: 10 });
  const ops = createOpsApp({
    getStatus: () => status(0, memory(1, 1, 1)),
    registry: createOpsMetrics({ defaultMetrics: false }).registry,
    history,
  });
  // One a second for a minute: one sample every 10 s, the last 3 kept.
  for (let s = 0; s < 60; s++) {
    history.record(status(1_700_000_000_000 + s * 1000, memory(100 + s, 10 + s, 20 + s)));
  }
  const body = (await (await ops.fetch(new Request("http://ops.test/history/memory"))).json()) as {
    t: number[];
    rss: number[];
    mainHeap: number[];
    workersHeap: number[];
    external: number[];
  };
  expect(body.t).toEqual([1_700_000_030, 1_700_000_040, 1_700_000_050]);
  expect(body.rss).toEqual([130, 140, 150]);
  expect(body.mainHeap).toEqual([40, 50, 60]);
  expect(body.workersHeap).toEqual([50, 60, 70]);
  expect(body.external).toHaveLength(3);
});

it("exports each thread's heap from the status, one series per thread", async () => {
  const metrics = createOpsMetrics({
    defaultMetrics: false,
    getStatus: () => status(0, memory(100 * MIB, 40 * MIB, 6 * MIB)),
  });
  const text = await metrics.registry.metrics();
  expect(text).toContain(`mm_heap_used_bytes{thread="main"} ${40 * MIB}`);
  expect(text).toContain(`mm_heap_total_bytes{thread="main"} ${80 * MIB}`);
  expect(text).toContain(`mm_heap_live_bytes{thread="main"} ${20 * MIB}`);
  expect(text).toContain(`mm_heap_used_bytes{thread="worker",symbol="BTC-USDT"} ${6 * MIB}`);
  expect(text).toContain(`mm_heap_external_bytes{thread="main"} ${MIB}`);
  // A worker not fully collected yet has no live figure.
  expect(text).not.toContain('mm_heap_live_bytes{thread="worker"');
});
