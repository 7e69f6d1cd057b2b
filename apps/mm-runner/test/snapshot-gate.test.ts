import { describe, expect, it } from "vitest";
import { createSnapshotGate } from "../src/workers/thread/snapshot-gate.ts";
import { coreSnapshot } from "./wire-events.ts";

describe("snapshot gate", () => {
  it("passes the first snapshot and every change the status shows, not a new cycle count", () => {
    const gate = createSnapshotGate();
    expect(gate.changed(coreSnapshot())).toBe(true);
    expect(gate.changed(coreSnapshot({ cycles: 2 }))).toBe(false);
    expect(gate.changed(coreSnapshot({ cycles: 3, fills: 1 }))).toBe(true);
    expect(gate.changed(coreSnapshot({ cycles: 4, fills: 1 }))).toBe(false);
    expect(gate.changed(coreSnapshot({ cycles: 5, fills: 1, position: "0.01" }))).toBe(true);
    expect(
      gate.changed(coreSnapshot({ cycles: 6, fills: 1, position: "0.01", venue: "lost" })),
    ).toBe(true);
  });
});
