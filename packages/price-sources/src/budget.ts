import type { Clock } from "@matchingo-mm/core";

/** A token bucket: `capacity` requests (or weight) at once, refilled at `perSecond`. */
export interface Budget {
  readonly capacity: number;
  readonly perSecond: number;
}

export interface TokenBucket {
  /** Takes `cost` tokens, or says how long until there will be enough (none taken). */
  take(cost: number): { readonly ok: true } | { readonly ok: false; readonly waitMs: number };
  available(): number;
}

export function checkBudget(source: string, budget: Budget): Budget {
  const { capacity, perSecond } = budget;
  if (!(Number.isFinite(capacity) && capacity > 0)) {
    throw new TypeError(`${source}: budget.capacity must be a positive number, got ${capacity}`);
  }
  if (!(Number.isFinite(perSecond) && perSecond > 0)) {
    throw new TypeError(`${source}: budget.perSecond must be a positive number, got ${perSecond}`);
  }
  return budget;
}

export function createTokenBucket(budget: Budget, clock: Clock): TokenBucket {
  let tokens = budget.capacity;
  let updatedAt = clock.now();

  function refill(): void {
    const now = clock.now();
    if (now > updatedAt) {
      tokens = Math.min(budget.capacity, tokens + ((now - updatedAt) / 1000) * budget.perSecond);
    }
    updatedAt = Math.max(updatedAt, now);
  }

  return {
    take(cost) {
      refill();
      if (cost <= tokens) {
        tokens -= cost;
        return { ok: true };
      }
      const missing = Math.min(cost, budget.capacity) - tokens;
      // The epsilon keeps float dust (0.999 + 0.001) from adding a whole millisecond.
      return {
        ok: false,
        waitMs: Math.max(1, Math.ceil((missing / budget.perSecond) * 1000 - 1e-6)),
      };
    },
    available() {
      refill();
      return tokens;
    },
  };
}
