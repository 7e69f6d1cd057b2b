import type { Clock } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import { type Budget, checkBudget, createTokenBucket } from "./budget.ts";

/**
 * What stands between a source and the network: the window a `Retry-After` imposed, and
 * the request budget. Both refuse with `cooling-down` without touching the network.
 */
export interface Gate {
  /** A `cooling-down` error while a `Retry-After` window is open, else undefined. */
  closed(): PriceError | undefined;
  /** Spends `cost` from the budget, or answers the `cooling-down` error (nothing spent). */
  spend(cost: number): PriceError | undefined;
  /** Honours a rate limit: no request until `retryAfterMs` from now. */
  coolDown(retryAfterMs: number): void;
}

export function createGate(source: string, budget: Budget | false, clock: Clock): Gate {
  const bucket =
    budget === false ? undefined : createTokenBucket(checkBudget(source, budget), clock);
  let closedUntil = Number.NEGATIVE_INFINITY;

  return {
    closed() {
      const remaining = closedUntil - clock.now();
      if (remaining <= 0) return undefined;
      return new PriceError(`${source}: rate limited, not asking again for ${remaining} ms`, {
        kind: "cooling-down",
        source,
        retryAfterMs: remaining,
      });
    },
    spend(cost) {
      const taken = bucket?.take(cost) ?? { ok: true };
      if (taken.ok) return undefined;
      return new PriceError(`${source}: request budget spent, next request in ${taken.waitMs} ms`, {
        kind: "cooling-down",
        source,
        retryAfterMs: taken.waitMs,
      });
    },
    coolDown(retryAfterMs) {
      closedUntil = Math.max(closedUntil, clock.now() + retryAfterMs);
    },
  };
}
