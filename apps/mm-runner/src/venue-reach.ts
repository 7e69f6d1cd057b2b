import { delayEndingOnAbort, VenueError } from "@matchingo-mm/core";
import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import type { Logger } from "pino";

/** The configured venue did not answer within VENUE_START_TIMEOUT_SECONDS at start. */
export class VenueUnreachableError extends Error {
  override readonly name = "VenueUnreachableError";
  readonly address: string;
  constructor(address: string, waitedMs: number, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `the Matchingo venue at ${address} could not be reached in ${Math.round(waitedMs / 1000)} s (${attempts} attempts; last: ${reason}); check MATCHINGO_GRPC_ADDR, or raise VENUE_START_TIMEOUT_SECONDS`,
      { cause },
    );
    this.address = address;
  }
}

export interface WaitForVenueOptions {
  readonly client: MatchingoClient;
  readonly address: string;
  /** Any book name: the venue answering "no such book" is an answer. */
  readonly book: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Waits between attempts (default 1 s, doubling up to 5 s); tests shorten them. */
  readonly firstWaitMs?: number;
}

/** Failures that mean "nobody answered" (a typo, a venue not up yet), not a refusal. */
const unreachable = (error: unknown) =>
  error instanceof VenueError &&
  (error.kind === "unavailable" || error.kind === "deadline-exceeded");

/**
 * At start only: asks the venue for a book until it answers, one log line per failed
 * attempt, for at most `timeoutMs`; then throws {@link VenueUnreachableError} naming the
 * address. A mistyped address fails the start instead of quoting nothing forever. Once
 * running, an outage is the loop's business (logged once, retried with back-off).
 */
export async function waitForVenue(options: WaitForVenueOptions): Promise<void> {
  const { client, address, logger } = options;
  const startedAt = Date.now();
  let wait = options.firstWaitMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const left = options.timeoutMs - (Date.now() - startedAt);
    try {
      await client.getBook(options.book, {
        deadlineMs: Math.max(250, Math.min(left, 5000)),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (attempt > 1) logger.info({ venue: address, attempt }, `venue at ${address} answers`);
      return;
    } catch (error) {
      if (!unreachable(error) || options.signal?.aborted) return;
      const waited = Date.now() - startedAt;
      const remaining = options.timeoutMs - waited;
      if (remaining <= 0) throw new VenueUnreachableError(address, waited, attempt, error);
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(
        { venue: address, attempt, reason },
        `venue at ${address} not reachable (attempt ${attempt}: ${reason}); trying again for up to ${Math.ceil(remaining / 1000)} s (VENUE_START_TIMEOUT_SECONDS)`,
      );
      await delayEndingOnAbort(Math.min(wait, remaining), { signal: options.signal });
      wait = Math.min(wait * 2, 5000);
    }
  }
}
