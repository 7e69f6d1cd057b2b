import type { MarketMakerSnapshot } from "@matchingo-mm/core";

/**
 * Decides whether a worker's snapshot is worth posting to the main thread: only when what
 * the status shows changed (our orders and their state, fills, volume, position, quoting
 * and venue state). The cycle counter, the last cycle's report and the last price change
 * every cycle and reach the main thread in the cycle event and the price answer anyway.
 * With diff requoting most cycles keep every order, so most snapshots are not posted.
 */
export interface SnapshotGate {
  /** True when `snapshot` differs from the last one passed (the first always does). */
  changed(snapshot: MarketMakerSnapshot): boolean;
}

export function createSnapshotGate(): SnapshotGate {
  let last: string | undefined;
  return {
    changed(snapshot) {
      const { cycles: _cycles, lastCycle: _lastCycle, lastPrice: _lastPrice, ...rest } = snapshot;
      const key = JSON.stringify(rest);
      if (key === last) return false;
      last = key;
      return true;
    },
  };
}
