import { describe, expect, it } from "vitest";
import {
  after,
  firstAndLastWindows,
  flatness,
  growthPercentPerHour,
  metricSum,
  type Point,
} from "../src/soak/analysis.ts";
import { compare, type Group } from "../src/soak/heap-diff.ts";

const MINUTE = 60_000;
const line = (from: number, perMinute: number, minutes: number): Point[] =>
  Array.from({ length: minutes + 1 }, (_, i) => ({
    atMs: i * MINUTE,
    value: from + perMinute * i,
  }));

describe("growth per hour", () => {
  it("is the least-squares slope as a percentage of the mean per hour", () => {
    // 100 → 101 over an hour: mean 100.5, slope 1 an hour.
    const points = line(100, 1 / 60, 60);
    expect(growthPercentPerHour(points)).toBeCloseTo((1 / 100.5) * 100, 6);
  });

  it("is 0 on a flat series and negative on a falling one", () => {
    expect(growthPercentPerHour(line(50, 0, 20))).toBe(0);
    expect(growthPercentPerHour(line(50, -0.5, 20))).toBeLessThan(0);
  });

  it("sees through noise around a flat line (a GC sawtooth averages out)", () => {
    const saw = Array.from({ length: 31 }, (_, i) => ({
      atMs: i * MINUTE,
      value: 100 + (i % 2 === 0 ? 5 : -5),
    }));
    expect(Math.abs(growthPercentPerHour(saw))).toBeLessThan(5);
  });

  it("is NaN with fewer than two points, and ignores NaN values", () => {
    expect(growthPercentPerHour([{ atMs: 0, value: 1 }])).toBeNaN();
    const points = [...line(10, 1, 3), { atMs: 10 * MINUTE, value: Number.NaN }];
    expect(growthPercentPerHour(points)).toBeCloseTo(growthPercentPerHour(line(10, 1, 3)), 9);
  });

  it("after() keeps the points past the warm-up", () => {
    expect(after(line(0, 1, 10), 5 * MINUTE).map((p) => p.value)).toEqual([5, 6, 7, 8, 9, 10]);
  });
});

describe("flatness", () => {
  it("is flat when the last quarter is within the slack of the first", () => {
    const fds = [100, 101, 100, 102, 100, 101, 102, 101].map((value, i) => ({ atMs: i, value }));
    expect(flatness(fds)).toMatchObject({ flat: true, min: 100, max: 102 });
  });

  it("is not flat when a count climbs", () => {
    const leak = line(100, 1, 11);
    const result = flatness(leak);
    expect(result.flat).toBe(false);
    expect(result.last - result.first).toBeGreaterThan(2);
  });
});

describe("first and last windows", () => {
  it("compares the means of the first and last ten minutes after the warm-up", () => {
    const points = [...line(10, 0, 40)].map((p) =>
      p.atMs >= 30 * MINUTE ? { ...p, value: 20 } : p,
    );
    const result = firstAndLastWindows(points, 5 * MINUTE, 40 * MINUTE, 10 * MINUTE, 2);
    expect(result).toMatchObject({ windowMs: 10 * MINUTE, first: 10, last: 20, unchanged: false });
  });

  it("halves what follows the warm-up on a short run, and allows a small absolute rise", () => {
    const points = line(3, 0.1, 10);
    const result = firstAndLastWindows(points, 2 * MINUTE, 10 * MINUTE, 10 * MINUTE, 2);
    expect(result.windowMs).toBe(4 * MINUTE);
    expect(result.last).toBeGreaterThan(result.first);
    expect(result.unchanged).toBe(true);
  });
});

describe("metricSum", () => {
  const text = [
    "# HELP mm_rpc_total gRPC attempts",
    "# TYPE mm_rpc_total counter",
    'mm_rpc_total{symbol="A",method="createOrder",code="OK"} 10',
    'mm_rpc_total{symbol="B",method="cancelOrder",code="OK"} 5',
    "mm_rpc_total_other 99",
    "nodejs_active_handles_total 7",
  ].join("\n");

  it("adds every label set of the metric and nothing of another with the same prefix", () => {
    expect(metricSum(text, "mm_rpc_total")).toBe(15);
    expect(metricSum(text, "nodejs_active_handles_total")).toBe(7);
    expect(metricSum(text, "mm_missing")).toBeNaN();
  });
});

describe("heap snapshot comparison", () => {
  it("lists what grew, the largest growth first", () => {
    const before = new Map<string, Group>([
      ["object:Map", { count: 10, selfSize: 1000 }],
      ["string", { count: 100, selfSize: 5000 }],
      ["object:Same", { count: 1, selfSize: 10 }],
    ]);
    const afterwards = new Map<string, Group>([
      ["object:Map", { count: 12, selfSize: 1200 }],
      ["string", { count: 300, selfSize: 15000 }],
      ["object:Same", { count: 1, selfSize: 10 }],
      ["object:New", { count: 1, selfSize: 50 }],
    ]);
    expect(compare(before, afterwards).map((g) => g.name)).toEqual([
      "string",
      "object:Map",
      "object:New",
    ]);
  });
});
