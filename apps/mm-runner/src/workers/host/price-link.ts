import type { PriceFeed, PriceTick } from "@matchingo-mm/core";
import { checkLadderAtPrice } from "../../config/ladder-check.ts";
import type { Problem } from "../../config/raw.ts";
import type { SymbolConfig } from "../../config/types.ts";
import type { SymbolTracker } from "../../status/symbol-tracker.ts";
import type { WorkerApi } from "../wire/protocol.ts";
import type { Notifier } from "../wire/rpc.ts";

/** What the workers' prices come from: the process's one feed. */
export interface PriceLinkOptions {
  readonly feed: PriceFeed;
  /** Symbols whose ladder was already checked at a real price. */
  readonly checked: Set<string>;
  /** A symbol's first price shows its configuration cannot quote. */
  readonly onConfigProblems: (problems: Problem[]) => void;
}

/** A symbol's slot as prices see it: its worker (while it runs), status and last price. */
export interface PricedSlot {
  readonly config: SymbolConfig;
  readonly tracker: SymbolTracker;
  /** What the running worker is pushed (none while it is down). */
  readonly toWorker?: { readonly notify: Pick<Notifier<WorkerApi>, "tick"> };
  lastPrice?: string;
}

/**
 * Answers a worker's price request from the shared feed. The symbol's first price is
 * checked against its ladder settings first: a configuration that cannot quote there is
 * reported, and the worker gets an error instead of the price.
 */
export async function priceFor(
  options: PriceLinkOptions,
  slot: PricedSlot,
  symbol: string,
): Promise<PriceTick> {
  const tick = await options.feed.latest(symbol);
  slot.tracker.onPrice(tick);
  slot.lastPrice = tick.price;
  if (!firstPriceFits(options, slot, tick.price)) {
    throw new Error(`${symbol}: the configuration cannot quote at ${tick.price}`);
  }
  return tick;
}

/**
 * The symbol's ladder checked at its first (trusted) price, once: false when the
 * configuration cannot quote there (reported; the runner stops).
 */
function firstPriceFits(options: PriceLinkOptions, slot: PricedSlot, price: string): boolean {
  const symbol = slot.config.symbol;
  if (options.checked.has(symbol)) return true;
  options.checked.add(symbol);
  const problems = checkLadderAtPrice(slot.config, price);
  if (problems.length === 0) return true;
  options.onConfigProblems(problems);
  return false;
}

/**
 * Forwards every tick the shared feed pushes to its symbol's worker. The symbol's first
 * price may come this way too (a price that earned trust between two cycles): its ladder
 * is checked at it first, as for a first price asked through `latest`. Answers the
 * function that stops it.
 */
export function forwardTicks(
  options: PriceLinkOptions,
  slots: Iterable<PricedSlot>,
  isStopping: () => boolean,
): () => void {
  const { feed } = options;
  if (!feed.subscribe) return () => {};
  const unsubscribes = [...slots].map((slot) =>
    feed.subscribe!.call(feed, slot.config.symbol, (tick) => {
      // No worker running: its successor asks for a price first.
      const toWorker = slot.toWorker;
      if (!toWorker || isStopping()) return;
      if (!firstPriceFits(options, slot, tick.price)) return;
      slot.tracker.onPrice(tick);
      toWorker.notify.tick(tick);
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
