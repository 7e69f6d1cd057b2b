export interface SlotInput {
  /** Clock now, ms since the epoch. */
  readonly now: number;
  /** When the cycle that just ended started. */
  readonly startedAt: number;
  /** The venue's back-off: start no earlier than `startedAt + minWaitMs` (0: none). */
  readonly minWaitMs: number;
  readonly intervalMs: number;
  /** The slot the cycle that just ended was scheduled for, when it was scheduled. */
  readonly scheduledSlot?: number;
}

export interface NextSlot {
  /** Index of the slot: it starts at `slot * intervalMs`. */
  readonly slot: number;
  readonly waitMs: number;
  /** Slots passed over because the cycle overran its own (only counted without back-off). */
  readonly missedSlots?: number;
}

/**
 * The next slot of the interval grid (multiples of intervalMs since the epoch) after now,
 * and not before the back-off allows.
 */
export function nextSlot(input: SlotInput): NextSlot {
  const { now, startedAt, minWaitMs, intervalMs } = input;
  // A timer may fire a hair early: the slot a cycle was scheduled for is its slot.
  const current = input.scheduledSlot ?? Math.floor(startedAt / intervalMs);
  const slot = Math.max(
    current + 1,
    Math.floor(now / intervalMs) + 1,
    Math.ceil((startedAt + minWaitMs) / intervalMs),
  );
  return {
    slot,
    waitMs: slot * intervalMs - now,
    ...(minWaitMs === 0 ? { missedSlots: slot - current - 1 } : {}),
  };
}
