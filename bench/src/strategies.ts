/**
 * Part 5 (issue 25): one price tape and one seeded random taker flow through each strategy,
 * in process and core only: every tick the strategy's ladder (checked as the market maker
 * checks it) replaces the last, then that tick's takers trade against it, best price first.
 * Fills, final inventory, the quoted spread and the P&L marked to the last price.
 */
import {
  add,
  checkTargetLadder,
  type Decimal,
  formatDecimal,
  type Ladder,
  type LadderParams,
  lte,
  min,
  mul,
  neg,
  normalize,
  type PricePoint,
  parseDecimal,
  parseLadderParams,
  parseRisk,
  type Strategy,
  type StrategyParams,
  sub,
  trimToPositionLimit,
  ZERO,
} from "@matchingo-mm/core";
import { uniform } from "./tape.ts";

export interface TakerFlowSpec {
  readonly seed: number;
  /** Chance per tick that a buyer arrives, and (independently) a seller. */
  readonly arrivalChance: number;
  /** How far past the reference price a taker is willing to go: exponential, mean in % of P. */
  readonly reachMeanPercent: number;
  /** Taker quantity: exponential with this mean, base units, at least one lot. */
  readonly sizeMean: number;
}

export interface Taker {
  readonly side: "buy" | "sell";
  /** Fraction of P past the reference price the taker accepts. */
  readonly reach: number;
  readonly quantity: string;
}

/** The same takers for every strategy: one list per tick. */
export function takerFlow(spec: TakerFlowSpec, ticks: number, qtyStep: number): Taker[][] {
  const next = uniform(spec.seed);
  const exponential = (mean: number) => -Math.log(1 - next()) * mean;
  const lots = (value: number) =>
    formatDecimal({ units: BigInt(Math.max(1, Math.floor(value / qtyStep))), scale: 0 });
  const flow: Taker[][] = [];
  for (let i = 0; i < ticks; i++) {
    const takers: Taker[] = [];
    for (const side of ["buy", "sell"] as const) {
      if (next() < spec.arrivalChance) {
        const reach = exponential(spec.reachMeanPercent) / 100;
        const quantity = normalize(
          mul(parseDecimal(lots(exponential(spec.sizeMean))), parseDecimal(String(qtyStep))),
        );
        takers.push({ side, reach, quantity: formatDecimal(quantity) });
      }
    }
    // Who comes first within a tick is random too.
    if (takers.length === 2 && next() < 0.5) takers.reverse();
    flow.push(takers);
  }
  return flow;
}

export interface StrategyBenchSetup {
  readonly name: string;
  readonly strategy: Strategy;
  readonly ladder: LadderParams;
  readonly risk?: Parameters<typeof parseRisk>[0];
  readonly model?: {
    readonly asGamma?: string;
    readonly asKappa?: string;
    readonly asHorizonMs?: number;
    readonly volatilityWindowMs?: number;
  };
}

export interface StrategyRun {
  readonly setup: string;
  readonly fills: number;
  readonly boughtBase: string;
  readonly soldBase: string;
  readonly finalInventory: string;
  /** Largest |position| on the way. */
  readonly maxAbsInventory: string;
  /** Mean best ask − best bid over the ticks quoted on both sides, quote units and bps of P. */
  readonly averageSpread: number;
  readonly averageSpreadBps: number;
  /** Cash + position × last price, quote units (no fees). */
  readonly pnl: string;
  /** Ticks the strategy quoted nothing on (a refused ladder). */
  readonly refused: number;
}

/** One strategy over the tape and the flow. */
export function runStrategy(
  setup: StrategyBenchSetup,
  prices: readonly string[],
  flow: readonly (readonly Taker[])[],
  tickMs: number,
): StrategyRun {
  const model = setup.model ?? {};
  const strategy: StrategyParams = {
    asGamma: parseDecimal(model.asGamma ?? "0.1"),
    asKappa: parseDecimal(model.asKappa ?? "1.5"),
    ...(model.asHorizonMs === undefined ? {} : { asHorizonMs: model.asHorizonMs }),
    volatilityWindowMs: model.volatilityWindowMs ?? 60_000,
  };
  const config = parseLadderParams(setup.ladder);
  const risk = parseRisk(setup.risk ?? {});
  const windowMs = strategy.volatilityWindowMs;
  let position: Decimal = ZERO;
  let cash: Decimal = ZERO;
  let bought: Decimal = ZERO;
  let sold: Decimal = ZERO;
  let maxAbs: Decimal = ZERO;
  let fills = 0;
  let refused = 0;
  let spreadSum = 0;
  let spreadBpsSum = 0;
  let spreadCount = 0;
  const history: PricePoint[] = [];
  for (let i = 0; i < prices.length; i++) {
    const price = prices[i]!;
    const now = i * tickMs;
    history.push({ at: now, price });
    while (history.length > 0 && history[0]!.at < now - windowMs) history.shift();
    let ladder: Ladder;
    try {
      ladder = checkTargetLadder(
        setup.strategy.quote({
          symbol: "BENCH",
          reference: parseDecimal(price),
          prices: history,
          position,
          ladder: config,
          risk,
          strategy,
          now,
        }),
        config,
        setup.strategy.name,
      );
    } catch {
      refused++;
      continue;
    }
    if (risk.maxPosition !== undefined) {
      // As the market maker does: no level that, filled with the rest, passes the limit.
      ladder = trimToPositionLimit(ladder, {
        position,
        maxPosition: risk.maxPosition,
        qtyStep: config.qtyStep,
      });
    }
    const bestBid = ladder.bids[0];
    const bestAsk = ladder.asks[0];
    if (bestBid && bestAsk) {
      const spread = Number(bestAsk.price) - Number(bestBid.price);
      spreadSum += spread;
      spreadBpsSum += (spread / Number(price)) * 10_000;
      spreadCount++;
    }
    const resting = {
      buy: ladder.bids.map((l) => ({
        price: parseDecimal(l.price),
        left: parseDecimal(l.quantity),
      })),
      sell: ladder.asks.map((l) => ({
        price: parseDecimal(l.price),
        left: parseDecimal(l.quantity),
      })),
    };
    for (const taker of flow[i] ?? []) {
      const reference = Number(price);
      const limit = parseDecimal(
        (taker.side === "buy"
          ? reference * (1 + taker.reach)
          : reference * (1 - taker.reach)
        ).toFixed(2),
      );
      // A buying taker lifts our asks, a selling one hits our bids, best first.
      const ours = taker.side === "buy" ? resting.sell : resting.buy;
      let wanted = parseDecimal(taker.quantity);
      for (const level of ours) {
        if (wanted.units === 0n) break;
        const reachable = taker.side === "buy" ? lte(level.price, limit) : lte(limit, level.price);
        if (!reachable) break;
        if (level.left.units === 0n) continue;
        const traded = min(wanted, level.left);
        level.left = sub(level.left, traded);
        wanted = sub(wanted, traded);
        const notional = mul(traded, level.price);
        fills++;
        if (taker.side === "buy") {
          position = sub(position, traded);
          cash = add(cash, notional);
          sold = add(sold, traded);
        } else {
          position = add(position, traded);
          cash = sub(cash, notional);
          bought = add(bought, traded);
        }
        const abs = position.units < 0n ? neg(position) : position;
        if (lte(maxAbs, abs)) maxAbs = abs;
      }
    }
  }
  const last = parseDecimal(prices[prices.length - 1]!);
  const text = (value: Decimal) => formatDecimal(normalize(value));
  return {
    setup: setup.name,
    fills,
    boughtBase: text(bought),
    soldBase: text(sold),
    finalInventory: text(position),
    maxAbsInventory: text(maxAbs),
    averageSpread: spreadCount > 0 ? spreadSum / spreadCount : 0,
    averageSpreadBps: spreadCount > 0 ? spreadBpsSum / spreadCount : 0,
    pnl: text(add(cash, mul(position, last))),
    refused,
  };
}
