import type { Logger } from "pino";
import type { RetiredAll } from "../journal/retire-all.ts";
import type { Supervisor } from "../supervisor.ts";

export interface ShutdownReport {
  /** Orders confirmed cancelled (by the workers and the final sweep). */
  readonly cancelled: number;
  /** Orders already gone when cancelled (filled, cancelled before). */
  readonly alreadyGone: number;
  /** Ids that could not be cancelled: still in the journal, cancelled at the next start. */
  readonly failed: readonly string[];
}

/**
 * The workers' stops and the final sweep, added up. Without a sweep (the state folder was
 * lost) what the workers could not cancel is what failed.
 */
export function shutdownReportOf(
  stops: Awaited<ReturnType<Supervisor["stop"]>>,
  sweep: RetiredAll | undefined,
): ShutdownReport {
  return {
    cancelled: stops.reduce(
      (sum, stop) => sum + (stop.summary?.canceled ?? 0),
      sweep?.cancelled ?? 0,
    ),
    alreadyGone: stops.reduce(
      (sum, stop) => sum + (stop.summary?.alreadyGone ?? 0),
      sweep?.alreadyGone ?? 0,
    ),
    failed: sweep
      ? sweep.failed.map((failure) => failure.entry.id)
      : stops.flatMap((stop) => [...(stop.summary?.failed ?? [])]),
  };
}

export function logShutdown(
  report: ShutdownReport,
  runnerDir: string,
  logger: Logger,
  stateLost: boolean,
): void {
  const { cancelled, alreadyGone, failed } = report;
  const summary = { cancelled, alreadyGone, failed: failed.length };
  if (failed.length === 0) {
    logger.info(
      summary,
      `stopped: ${cancelled} orders cancelled, ${alreadyGone} already gone; none of the orders we placed is left on the venue`,
    );
  } else {
    logger.error(
      { ...summary, orderIds: failed },
      stateLost
        ? `stopped: ${cancelled} orders cancelled, but ${failed.length} could NOT be cancelled, and the journal that listed them is gone with ${runnerDir}: cancel them on the venue by hand`
        : `stopped: ${cancelled} orders cancelled, but ${failed.length} could NOT be cancelled; they stay in the journal (${runnerDir}) and are cancelled at the next start`,
    );
  }
}
