import { abs, type Decimal, lte, mul, parseDecimal, sub } from "../decimal.ts";
import type { PriceTick } from "../ports.ts";

const HUNDRED: Decimal = { units: 100n, scale: 0 };

/**
 * Whether a pushed price calls for a new ladder: none is live (`builtOn` undefined), or
 * the price moved further than `tolerancePercent` from the one the live ladder was built
 * on. Within the tolerance the `diff` planner would keep every order anyway.
 */
export function priceMovedBeyond(
  builtOn: Decimal | undefined,
  price: string,
  tolerancePercent: Decimal,
): boolean {
  if (builtOn === undefined) return true;
  const distance = abs(sub(parseDecimal(price), builtOn));
  return !lte(mul(distance, HUNDRED), mul(abs(builtOn), tolerancePercent));
}

export interface RequoteTriggerOptions<T = PriceTick> {
  /** Clock ms; the minimum interval is measured on it. */
  readonly now: () => number;
  /** Read at every scheduling, so a parameter change applies to the next requote. */
  readonly minIntervalMs: () => number;
  /** Asked with the newest tick when its turn comes; false drops it. */
  readonly wanted: (tick: T) => boolean;
  /**
   * Runs one requote; it must not reject (a rejection is ignored). It may resolve with the
   * clock ms at which the requote really started (after waiting for a lock, say): the
   * interval then counts from there.
   */
  readonly requote: (tick: T) => Promise<unknown>;
}

export interface RequoteTrigger<T = PriceTick> {
  /** A tick arrived: it replaces any tick still waiting for its turn. */
  offer(tick: T): void;
  /** Drops the waiting tick, starts nothing more; resolves when a requote in flight ends. */
  stop(): Promise<void>;
}

/**
 * Turns a stream of ticks into requotes: at most one started per `minIntervalMs`, never
 * two at once, and a burst that arrives meanwhile coalesces into one on its newest tick.
 */
export function createRequoteTrigger<T = PriceTick>(
  options: RequoteTriggerOptions<T>,
): RequoteTrigger<T> {
  let waiting: T | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let lastStartedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  function schedule(): void {
    if (stopped || timer !== undefined || inFlight || waiting === undefined) return;
    const wait = Math.max(0, lastStartedAt + options.minIntervalMs() - options.now());
    timer = setTimeout(fire, wait);
  }

  function fire(): void {
    timer = undefined;
    // A timer counts from the event loop's cached time and may fire a millisecond before
    // `now` says the interval is over: wait out the rest rather than start early.
    const early = lastStartedAt + options.minIntervalMs() - options.now();
    if (early > 0 && !stopped) {
      timer = setTimeout(fire, early);
      return;
    }
    const tick = waiting;
    waiting = undefined;
    if (stopped || tick === undefined || !options.wanted(tick)) return;
    lastStartedAt = options.now();
    inFlight = options
      .requote(tick)
      .then(
        (startedAt) => {
          if (typeof startedAt === "number") lastStartedAt = Math.max(lastStartedAt, startedAt);
        },
        () => undefined,
      )
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
  }

  return {
    offer(tick) {
      if (stopped) return;
      waiting = tick;
      schedule();
    },
    async stop() {
      stopped = true;
      waiting = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
