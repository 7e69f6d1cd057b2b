import type { OrderGateway } from "@matchingo-mm/core";
import { boundedCancels } from "./bounded-cancels.ts";
import type { OpenEntry } from "./entries.ts";
import { listJournalFiles } from "./files.ts";
import { retireJournal } from "./retire.ts";

/** Cancels in flight at once over the main thread's one channel: every book at once. */
const SWEEP_CONCURRENCY = 32;

export interface RetiredAll {
  readonly cancelled: number;
  readonly alreadyGone: number;
  /** Still listed (venue unreachable...): kept in their journal for the next sweep. */
  readonly failed: ReadonlyArray<{ readonly entry: OpenEntry; readonly error: unknown }>;
  /** Journals whose last line was torn (a crash mid-write). */
  readonly torn: number;
  /** Journals with lines that could not be read: each file and how many. */
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly lines: number }>;
}

/**
 * Retires every journal in the runner's folder (books no longer configured included):
 * cancels every order they list, all books at once with bounded concurrency. At start it
 * clears what an earlier run left; at stop it is the last word after the workers.
 */
export async function retireAllJournals(
  gateway: Pick<OrderGateway, "cancelOrder">,
  runnerDir: string,
  signal?: AbortSignal,
): Promise<RetiredAll> {
  const bounded = boundedCancels(gateway, SWEEP_CONCURRENCY);
  const paths = listJournalFiles(runnerDir);
  const results = await Promise.all(
    paths.map((path) =>
      retireJournal(path, {
        gateway: bounded,
        concurrency: SWEEP_CONCURRENCY,
        ...(signal ? { signal } : {}),
      }),
    ),
  );
  return {
    cancelled: results.reduce((sum, result) => sum + result.cancelled, 0),
    alreadyGone: results.reduce((sum, result) => sum + result.alreadyGone, 0),
    failed: results.flatMap((result) => result.failed),
    torn: results.filter((result) => result.tornTail).length,
    unreadable: results.flatMap((result, index) =>
      result.badLines > 0 ? [{ path: paths[index]!, lines: result.badLines }] : [],
    ),
  };
}
