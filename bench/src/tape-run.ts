import { computeLadder, type RpcCounts } from "@matchingo-mm/core";
import { ladderProblems } from "./ladder-live.ts";
import { createQuoter, ladderParams, type QuoterSetup, reportProblems } from "./quoter.ts";
import { mean, round, roundSummary, type Summary, summarize } from "./stats.ts";
import type { RemoteVenue } from "./venue-thread/remote-venue.ts";

export interface TapeRun {
  readonly setup: string;
  readonly levels: number;
  readonly refreshTolerancePercent: string;
  /** Cycles run (one per tape tick). The first places the ladder on an empty book. */
  readonly cycles: number;
  /** Requote cycles measured: every cycle after the first. */
  readonly measuredCycles: number;
  /** Mean gateway calls per measured cycle, by method. */
  readonly rpcsPerCycle: RpcCounts;
  /** Mean CreateOrder + CancelOrder per measured cycle. */
  readonly requoteRpcsPerCycle: number;
  /** ms per measured cycle during which a side had fewer than N of our orders live. */
  readonly bookGapMs: Summary & { readonly total: number };
  /** Measured cycles with any gap. */
  readonly cyclesWithGap: number;
  /** The fewest of our orders live on a side at any moment of any measured cycle. */
  readonly minLevelsLive: { readonly buy: number; readonly sell: number };
  /** Mean orders kept (not replaced) per measured cycle. */
  readonly keptPerCycle: number;
  /** Wall time per measured cycle (loopback gRPC), ms. */
  readonly cycleMs: Summary;
  /** Trades in the venue's trade log whose taker and maker are both ours. */
  readonly selfTrades: number;
  /** All trades on the book (nobody else trades there: any trade is ours). */
  readonly trades: number;
  readonly ladderChecks: number;
  readonly problems: readonly string[];
}

/**
 * The market maker over the whole tape, one cycle per tick, back to back. After every
 * cycle: the book gap of that cycle from the venue's event stream, and the venue's live
 * orders checked against the ladder.
 */
export async function runTape(options: {
  readonly venue: RemoteVenue;
  readonly setup: QuoterSetup;
  readonly levels: number;
  readonly prices: readonly string[];
}): Promise<TapeRun> {
  const { venue, setup, levels } = options;
  const quoter = await createQuoter({
    address: venue.address,
    book: `TAPE-${setup.name.replace("@", "-")}`,
    setup,
    levels,
  });
  const problems: string[] = [];
  const rpcs = { placeOrder: 0, cancelOrder: 0, getOrder: 0, getBook: 0, total: 0 };
  const gaps: number[] = [];
  const durations: number[] = [];
  const kept: number[] = [];
  let minBuy = Number.POSITIVE_INFINITY;
  let minSell = Number.POSITIVE_INFINITY;
  let checks = 0;

  for (const [index, price] of options.prices.entries()) {
    const { report, ms } = await quoter.quote(price);
    problems.push(...reportProblems(report));
    const live = await venue.liveOrders(quoter.book);
    checks++;
    const wrong = ladderProblems(
      computeLadder(price, ladderParams(levels)),
      live,
      quoter.userAddress,
      setup.refreshTolerancePercent,
    );
    if (wrong.length > 0) problems.push(`cycle ${report.cycle} at ${price}: ${wrong.join("; ")}`);
    if (index === 0) {
      // The first cycle fills an empty book: the gap is measured from here on.
      await venue.watch(quoter.book, quoter.userAddress, levels);
      continue;
    }
    const depth = await venue.report(quoter.book);
    gaps.push(depth.gapMs);
    minBuy = Math.min(minBuy, depth.minBuy);
    minSell = Math.min(minSell, depth.minSell);
    durations.push(ms);
    kept.push(report.kept);
    for (const method of ["placeOrder", "cancelOrder", "getOrder", "getBook", "total"] as const) {
      rpcs[method] += report.rpcs[method];
    }
  }
  await venue.unwatch(quoter.book);
  const stop = await quoter.close();
  if (stop.failed.length > 0) problems.push(`${stop.failed.length} orders not cancelled at stop`);
  const left = (await venue.liveOrders(quoter.book)).filter(
    (order) => order.userAddress === quoter.userAddress,
  );
  if (left.length > 0) problems.push(`${left.length} orders left on the book after stop`);
  const trades = await venue.trades(quoter.book);
  const selfTrades = trades.filter(
    (trade) =>
      trade.takerUserAddress === quoter.userAddress &&
      trade.makerUserAddress === quoter.userAddress,
  ).length;
  if (selfTrades > 0) problems.push(`${selfTrades} self-trades in the venue's trade log`);

  const measured = gaps.length;
  const perCycle = (n: number) => round(n / Math.max(1, measured), 3);
  return {
    setup: setup.name,
    levels,
    refreshTolerancePercent: setup.refreshTolerancePercent,
    cycles: options.prices.length,
    measuredCycles: measured,
    rpcsPerCycle: {
      placeOrder: perCycle(rpcs.placeOrder),
      cancelOrder: perCycle(rpcs.cancelOrder),
      getOrder: perCycle(rpcs.getOrder),
      getBook: perCycle(rpcs.getBook),
      total: perCycle(rpcs.total),
    },
    requoteRpcsPerCycle: perCycle(rpcs.placeOrder + rpcs.cancelOrder),
    bookGapMs: {
      ...roundSummary(summarize(gaps), 3),
      total: round(
        gaps.reduce((a, b) => a + b, 0),
        1,
      ),
    },
    cyclesWithGap: gaps.filter((gap) => gap > 0).length,
    minLevelsLive: { buy: minBuy, sell: minSell },
    keptPerCycle: round(mean(kept), 2),
    cycleMs: roundSummary(summarize(durations), 3),
    selfTrades,
    trades: trades.length,
    ladderChecks: checks,
    problems,
  };
}
