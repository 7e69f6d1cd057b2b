/**
 * Where the trade stream resumes, per partition, so that a fill is never skipped: the
 * lowest offset whose fills are not all booked (handed to a worker and not yet seen by
 * its core), else the offset after the last message read. Kept in the ledger; a fill past
 * it that is already booked is known by its key, so replaying from it books nothing twice.
 */
export interface StreamPositions {
  /** The next offset to read on `partition` (undefined: never read). */
  next(partition: number): bigint | undefined;
  /** Sets where a partition starts (from the ledger, or the broker's end on a first start). */
  start(partition: number, offset: bigint): void;
  /** A message was read; `keys` are the fills of it handed to workers and not yet booked. */
  read(partition: number, offset: bigint, keys: readonly string[]): void;
  /** A handed fill was booked (or found booked): answers its partition. */
  settle(key: string): number | undefined;
  /** Where to resume on `partition`: the oldest offset not fully booked. */
  resumeAt(partition: number): bigint | undefined;
  partitions(): number[];
  /** Fills handed and not yet booked, all partitions. */
  readonly pending: number;
}

export function createStreamPositions(): StreamPositions {
  const nextOf = new Map<number, bigint>();
  // partition → offset → keys still unbooked
  const open = new Map<number, Map<bigint, Set<string>>>();
  const keyAt = new Map<string, { partition: number; offset: bigint }>();
  return {
    next: (partition) => nextOf.get(partition),
    start(partition, offset) {
      nextOf.set(partition, offset);
    },
    read(partition, offset, keys) {
      const next = offset + 1n;
      if ((nextOf.get(partition) ?? -1n) < next) nextOf.set(partition, next);
      if (keys.length === 0) return;
      const offsets = open.get(partition) ?? new Map<bigint, Set<string>>();
      open.set(partition, offsets);
      const set = offsets.get(offset) ?? new Set<string>();
      for (const key of keys) {
        set.add(key);
        keyAt.set(key, { partition, offset });
      }
      offsets.set(offset, set);
    },
    settle(key) {
      const at = keyAt.get(key);
      if (!at) return undefined;
      keyAt.delete(key);
      const offsets = open.get(at.partition);
      const set = offsets?.get(at.offset);
      set?.delete(key);
      if (set && set.size === 0) offsets?.delete(at.offset);
      return at.partition;
    },
    resumeAt(partition) {
      const offsets = open.get(partition);
      let lowest: bigint | undefined;
      for (const offset of offsets?.keys() ?? []) {
        if (lowest === undefined || offset < lowest) lowest = offset;
      }
      return lowest ?? nextOf.get(partition);
    },
    partitions: () => [...nextOf.keys()].sort((a, b) => a - b),
    get pending() {
      return keyAt.size;
    },
  };
}
