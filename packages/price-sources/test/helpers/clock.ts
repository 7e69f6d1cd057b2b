import type { Clock } from "@matchingo-mm/core";

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** A clock that moves only when told, starting at a fixed date. */
export function manualClock(start = Date.parse("2026-11-24T10:00:00.000Z")): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}
