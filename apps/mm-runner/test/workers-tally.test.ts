import { describe, expect, it } from "vitest";
import { createRpcTally } from "../src/workers/rpc-tally.ts";
import { createSnapshotGate } from "../src/workers/snapshot-gate.ts";
import { coreSnapshot } from "./wire-events.ts";

describe("rpc tally", () => {
  it("counts attempts by method and code, and starts afresh after a flush", () => {
    const tally = createRpcTally();
    tally.add("CreateOrder", "OK");
    tally.add("CreateOrder", "OK");
    tally.add("CreateOrder", "UNAVAILABLE");
    tally.add("CancelOrder", "OK");
    expect(tally.flush()).toEqual([
      { type: "rpc", method: "CreateOrder", code: "OK", count: 2 },
      { type: "rpc", method: "CreateOrder", code: "UNAVAILABLE", count: 1 },
      { type: "rpc", method: "CancelOrder", code: "OK", count: 1 },
    ]);
    expect(tally.flush()).toEqual([]);
    tally.add("GetOrder", "OK");
    expect(tally.flush()).toEqual([{ type: "rpc", method: "GetOrder", code: "OK", count: 1 }]);
  });
});

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
