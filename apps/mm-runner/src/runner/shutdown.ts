import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import type { TakerFlow } from "@matchingo-mm/venue";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import { retireAllJournals } from "../journal/retire-all.ts";
import type { OpsServer } from "../ops/index.ts";
import type { ShutdownBudget } from "../shutdown-budget.ts";
import type { Supervisor } from "../supervisor.ts";
import { logShutdown, type ShutdownReport, shutdownReportOf } from "./shutdown-report.ts";
import type { StateLoss } from "./state-loss.ts";
import type { RunState } from "./status.ts";

/** What a shutdown stops, sweeps and closes. */
export interface ShutdownParts {
  readonly config: RunnerConfig;
  readonly logger: Logger;
  readonly runnerDir: string;
  readonly client: MatchingoClient;
  readonly budget: ShutdownBudget;
  readonly state: RunState;
  readonly takers: Pick<TakerFlow, "stop"> | undefined;
  readonly supervisor: Supervisor;
  readonly stateLoss: StateLoss;
  readonly ops: Pick<OpsServer, "close"> | undefined;
  /** Everything else, last opened first (the feed, the trade stream, the ledger, ...). */
  readonly closeAll: () => Promise<void>;
}

/**
 * Stops the sandbox's takers, then the workers (each cancels its orders), sweeps the
 * journals for what they left, closes the ops endpoint and the rest, and logs the report.
 */
export async function shutDown(parts: ShutdownParts, reason: string): Promise<ShutdownReport> {
  const { config, logger, runnerDir, budget, stateLoss } = parts;
  const shutdownStart = Date.now();
  parts.state.shuttingDown = true;
  logger.info(`${reason}: stopping; cancelling every order`);
  await parts.takers?.stop();
  const stops = await parts.supervisor.stop(budget.workersMs);
  const sweepMs = Math.max(
    budget.sweepMs,
    config.shutdownTimeoutMs - (Date.now() - shutdownStart) - budget.marginMs,
  );
  // A state folder that is no longer ours holds no journal of this run (or another's):
  // what the workers could not cancel from memory is reported, not swept.
  stateLoss.watch.check();
  const sweep =
    stateLoss.message() === undefined
      ? await retireAllJournals(parts.client, runnerDir, AbortSignal.timeout(sweepMs))
      : undefined;
  await parts.ops?.close();
  await parts.closeAll();
  const report = shutdownReportOf(stops, sweep);
  logShutdown(report, runnerDir, logger, stateLoss.message() !== undefined);
  return report;
}

/** `shutDown` once: a second call (a second signal) gets the first one's report. */
export function shutdownOnce(parts: ShutdownParts): (reason: string) => Promise<ShutdownReport> {
  let stopped: Promise<ShutdownReport> | undefined;
  return (reason) => {
    stopped ??= shutDown(parts, reason);
    return stopped;
  };
}
