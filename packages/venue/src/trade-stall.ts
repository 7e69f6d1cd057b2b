/**
 * Matchingo publishes every trade to Kafka inside the CreateOrder rpc. With no broker it waits
 * for the producer to give up before it answers: the order has already matched and rested,
 * only the answer is late, and the client's deadline does not shorten the wait. This
 * reproduces that: a CreateOrder that traded answers `firstMs` late the first time and
 * `everyMs` late after that (both 0 by default: no stall). Only the venue shutting down cuts
 * a stall short.
 */
export interface TradeStallOptions {
  /** Delay of the answer to the first CreateOrder that trades, in ms. */
  readonly firstMs?: number;
  /** Delay of the answer to every later CreateOrder that trades, in ms. */
  readonly everyMs?: number;
}

export type TradeStall = (traded: boolean) => Promise<void>;

export function checkStall(name: string, ms: number | undefined): number {
  const value = ms ?? 0;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${ms}`);
  }
  return value;
}

export function createTradeStall(options: TradeStallOptions, shutdown: AbortSignal): TradeStall {
  const firstMs = checkStall("firstTradeStallMs", options.firstMs);
  const everyMs = checkStall("tradeStallMs", options.everyMs);
  let tradedBefore = false;
  return async (traded) => {
    if (!traded) return;
    const ms = tradedBefore ? everyMs : firstMs;
    tradedBefore = true;
    if (ms <= 0 || shutdown.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        shutdown.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      shutdown.addEventListener("abort", done, { once: true });
    });
  };
}
