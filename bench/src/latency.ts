import { computeLadder } from "@matchingo-mm/core";
import { ladderProblems } from "./ladder-live.ts";
import { createQuoter, ladderParams, type QuoterSetup, reportProblems } from "./quoter.ts";
import { round, roundSummary, type Summary, summarize } from "./stats.ts";
import type { RemoteVenue } from "./venue-thread/remote-venue.ts";

export interface LatencyRun {
  readonly setup: string;
  readonly levels: number;
  /** Added by the venue before every rpc (emulated network round trip). */
  readonly venueLatencyMs: number;
  readonly samples: number;
  /** Price set → cycle done with the whole new ladder live, ms. */
  readonly latencyMs: Summary;
  /** Mean gateway calls per measured cycle. */
  readonly rpcsPerCycle: number;
  /** Timed cycles that created or cancelled anything (diff at a tolerance keeps many as they are). */
  readonly requotedCycles: number;
  /** Latency of those cycles only, ms. */
  readonly requotedLatencyMs: Summary;
  /** Cycles whose venue state was checked against the ladder (all of them). */
  readonly ladderChecks: number;
  readonly problems: readonly string[];
}

/**
 * One market maker requoting over `prices` (one price per cycle, back to back): the first
 * `warmup` cycles are not timed, every timed cycle is followed (outside the timing) by a
 * check of the venue's live orders against the new ladder.
 */
export async function measureLatency(options: {
  readonly venue: RemoteVenue;
  readonly setup: QuoterSetup;
  readonly levels: number;
  readonly prices: readonly string[];
  readonly warmup: number;
  readonly venueLatencyMs: number;
  readonly bookTag: string;
}): Promise<LatencyRun> {
  const { venue, setup, levels } = options;
  const quoter = await createQuoter({
    address: venue.address,
    book: `LAT-${options.bookTag}-${setup.name.replace("@", "-")}-N${levels}`,
    setup,
    levels,
  });
  const times: number[] = [];
  const requoted: number[] = [];
  const problems: string[] = [];
  let rpcs = 0;
  let checks = 0;
  for (const [index, price] of options.prices.entries()) {
    const { report, ms } = await quoter.quote(price);
    problems.push(...reportProblems(report));
    if (index < options.warmup) continue;
    times.push(ms);
    if (report.placed + report.canceled > 0) requoted.push(ms);
    rpcs += report.rpcs.total;
    const live = await venue.liveOrders(quoter.book);
    checks++;
    const wrong = ladderProblems(
      computeLadder(price, ladderParams(levels)),
      live,
      quoter.userAddress,
      setup.refreshTolerancePercent,
    );
    if (wrong.length > 0) problems.push(`cycle ${report.cycle} at ${price}: ${wrong.join("; ")}`);
  }
  const stop = await quoter.close();
  if (stop.failed.length > 0) problems.push(`${stop.failed.length} orders not cancelled at stop`);
  const left = (await venue.liveOrders(quoter.book)).filter(
    (order) => order.userAddress === quoter.userAddress,
  );
  if (left.length > 0) problems.push(`${left.length} orders left on the book after stop`);
  return {
    setup: setup.name,
    levels,
    venueLatencyMs: options.venueLatencyMs,
    samples: times.length,
    latencyMs: roundSummary(summarize(times), 3),
    rpcsPerCycle: round(rpcs / Math.max(1, times.length), 2),
    requotedCycles: requoted.length,
    requotedLatencyMs: roundSummary(summarize(requoted), 3),
    ladderChecks: checks,
    problems,
  };
}
