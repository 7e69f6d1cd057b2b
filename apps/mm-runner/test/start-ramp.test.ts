import { describe, expect, it } from "vitest";
import { createStartRamp } from "../src/workers/host/start-ramp.ts";

describe("start ramp", () => {
  it("runs at most `concurrency` starts until one is released, in order", () => {
    const ramp = createStartRamp(2);
    const started: number[] = [];
    for (const n of [1, 2, 3, 4, 5]) ramp.enqueue(() => started.push(n));
    expect(started).toEqual([1, 2]);
    ramp.release();
    expect(started).toEqual([1, 2, 3]);
    ramp.release();
    ramp.release();
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it("drops the starts not yet run on clear", () => {
    const ramp = createStartRamp(1);
    const started: number[] = [];
    for (const n of [1, 2, 3]) ramp.enqueue(() => started.push(n));
    ramp.clear();
    ramp.release();
    expect(started).toEqual([1]);
    ramp.enqueue(() => started.push(4));
    expect(started).toEqual([1, 4]);
  });

  it("refuses a concurrency that is not a positive integer", () => {
    expect(() => createStartRamp(0)).toThrow(/positive integer, not 0/);
  });
});
