import { getMaxListeners, setMaxListeners } from "node:events";
import { forEachBounded, type OrderGateway } from "@matchingo-mm/core";
import type { OpenEntry } from "./entries.ts";
import { readJournalFile, rewriteJournal } from "./files.ts";

export interface RetireResult {
  /** Cancelled by us now. */
  readonly cancelled: number;
  /** The venue no longer held them (filled, cancelled before, lost in a venue restart). */
  readonly alreadyGone: number;
  /** Could not be cancelled (venue unreachable...): kept in the journal for next time. */
  readonly failed: ReadonlyArray<{ readonly entry: OpenEntry; readonly error: unknown }>;
  /** The journal's last line was torn (a crash mid-write) and was dropped. */
  readonly tornTail: boolean;
  /** Lines before the last that could not be read (dropped by the rewrite; reported at start). */
  readonly badLines: number;
}

export interface RetireOptions {
  readonly gateway: Pick<OrderGateway, "cancelOrder">;
  readonly signal?: AbortSignal;
  /** Cancels in flight at once. */
  readonly concurrency?: number;
}

/**
 * Cancels every order a journal still lists and rewrites the journal with only those
 * that could not be cancelled. Used at start (orders of a crashed earlier run), for a
 * crashed worker's book, and as the last sweep of a shutdown. The journal's writer must
 * not be running.
 */
export async function retireJournal(path: string, options: RetireOptions): Promise<RetireResult> {
  const journal = readJournalFile(path);
  const entries = [...journal.open.values()];
  const concurrency = options.concurrency ?? 8;
  if (options.signal && getMaxListeners(options.signal) < concurrency * 4) {
    // Every cancel in flight (and its retries) listens to the one signal: not a leak.
    setMaxListeners(concurrency * 4, options.signal);
  }
  let cancelled = 0;
  let alreadyGone = 0;
  const failed: Array<{ entry: OpenEntry; error: unknown }> = [];
  await forEachBounded(entries, concurrency, async (entry) => {
    try {
      const signal = options.signal;
      const outcome = await options.gateway.cancelOrder(
        entry.book,
        entry.id,
        signal ? { signal } : {},
      );
      if (outcome === "canceled") cancelled++;
      else alreadyGone++;
    } catch (error) {
      failed.push({ entry, error });
    }
  });
  rewriteJournal(
    path,
    failed.map((failure) => failure.entry),
  );
  return { cancelled, alreadyGone, failed, tornTail: journal.tornTail, badLines: journal.badLines };
}
