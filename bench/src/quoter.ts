import {
  type CycleReport,
  createMarketMaker,
  type FillPolling,
  type LadderParams,
  type MarketMaker,
  type RequoteModeName,
} from "@matchingo-mm/core";
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import { SEED_LADDER } from "@matchingo-mm/testkit";
import { createTapeFeed, type TapeFeed } from "./tape-feed.ts";

/** How a market maker requotes: the seed's way, or the loop's default way. */
export interface QuoterSetup {
  /** Short name in tables and JSON. */
  readonly name: string;
  readonly mode: RequoteModeName;
  /** Gateway calls in flight at once (1: one RPC at a time, as the seed). */
  readonly concurrency: number;
  readonly fillPolling: FillPolling;
  readonly refreshTolerancePercent: string;
  readonly description: string;
}

/** The seed's cycle as the seed ran it: cancel all, then place all, one RPC at a time, no fill polling. */
export const SEED: QuoterSetup = {
  name: "replace-all",
  mode: "replace-all",
  concurrency: 1,
  fillPolling: "off",
  refreshTolerancePercent: "0",
  description:
    "the seed's cycle: GetOrderBook, then cancel all 2N, then place buy 1, sell 1, buy 2 ... one RPC at a time (concurrency 1), no fill polling",
};

export const diffSetup = (tolerance: string): QuoterSetup => ({
  name: tolerance === "0" ? "diff@0" : `diff@${tolerance}`,
  mode: "diff",
  concurrency: 8,
  fillPolling: "priority",
  refreshTolerancePercent: tolerance,
  description: `the loop's default: diff, make-before-break, up to 8 RPCs in flight per phase, fill polling best price first, REFRESH_TOLERANCE_PERCENT=${tolerance}${tolerance === "0" ? " (every level whose price changed is replaced)" : ""}`,
});

/** The seed's ladder with `levels` levels. */
export const ladderParams = (levels: number): LadderParams => ({
  ...SEED_LADDER,
  levels,
  priceTick: "0.01",
  qtyStep: "0.001",
});

export interface Quoter {
  readonly book: string;
  readonly userAddress: string;
  readonly feed: TapeFeed;
  readonly client: MatchingoClient;
  readonly marketMaker: MarketMaker;
  /** Sets the next price, runs one cycle, and times it from the price to the cycle's end. */
  quote(price: string): Promise<{ report: CycleReport; ms: number }>;
  close(): Promise<{ failed: readonly string[] }>;
}

/** One market maker on its own book and channel, driven cycle by cycle (no interval). */
export async function createQuoter(options: {
  readonly address: string;
  readonly book: string;
  readonly setup: QuoterSetup;
  readonly levels: number;
}): Promise<Quoter> {
  const { book, setup } = options;
  const userAddress = book.toLowerCase();
  const client = createMatchingoClient({ address: options.address, userAddress });
  await client.ensureOrderBook(book);
  const feed = createTapeFeed("BTC-USDT");
  const marketMaker = createMarketMaker({
    symbol: "BTC-USDT",
    book,
    marketMakerId: userAddress,
    ladder: ladderParams(options.levels),
    intervalMs: 1_000,
    requoteMode: setup.mode,
    refreshTolerancePercent: setup.refreshTolerancePercent,
    concurrency: setup.concurrency,
    fillPolling: setup.fillPolling,
    feed,
    gateway: client,
  });
  return {
    book,
    userAddress,
    feed,
    client,
    marketMaker,
    async quote(price) {
      const started = performance.now();
      feed.set(price);
      const report = await marketMaker.runCycle();
      return { report, ms: performance.now() - started };
    },
    async close() {
      const summary = await marketMaker.stop();
      client.close();
      return summary;
    },
  };
}

/** What went wrong in a cycle's report, if anything (the bench's correctness checks). */
export function reportProblems(report: CycleReport): string[] {
  const problems: string[] = [];
  if (report.outcome !== "quoted")
    problems.push(`cycle ${report.cycle}: outcome ${report.outcome}`);
  if (report.failed > 0) problems.push(`cycle ${report.cycle}: ${report.failed} steps failed`);
  if (report.skipped > 0) problems.push(`cycle ${report.cycle}: ${report.skipped} steps skipped`);
  return problems;
}
