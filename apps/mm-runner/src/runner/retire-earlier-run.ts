import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import type { Logger } from "pino";
import { retireAllJournals } from "../journal/retire-all.ts";

/** Cancels what an earlier run (SIGKILL, power loss, a crash) left in the journals. */
export async function retireEarlierRun(
  client: MatchingoClient,
  runnerDir: string,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<void> {
  const retired = await retireAllJournals(client, runnerDir, signal);
  for (const { path, lines } of retired.unreadable) {
    logger.warn(
      { journal: path, unreadableLines: lines },
      `journal ${path}: ${lines} line${lines === 1 ? "" : "s"} could not be read (corrupt) and ${lines === 1 ? "was" : "were"} dropped; an order listed only there is not cancelled by this start: check that book on the venue`,
    );
  }
  for (const failure of retired.failed) {
    logger.warn(
      { err: failure.error, book: failure.entry.book, orderId: failure.entry.id },
      "could not cancel an order of an earlier run; it stays in the journal",
    );
  }
  const total = {
    cancelled: retired.cancelled,
    alreadyGone: retired.alreadyGone,
    failed: retired.failed.length,
    torn: retired.torn,
  };
  if (total.cancelled + total.alreadyGone + total.failed > 0 || total.torn > 0) {
    logger.warn(
      total,
      `recovered the journal of an earlier run that did not stop cleanly: ${total.cancelled} orders cancelled, ${total.alreadyGone} already gone${total.failed > 0 ? `, ${total.failed} could not be cancelled yet` : ""}`,
    );
  }
}
