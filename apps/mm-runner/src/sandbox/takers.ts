import { add, formatDecimal, mul, normalize, parseDecimal } from "@matchingo-mm/core";
import { startTakerFlow, type TakerFlow } from "@matchingo-mm/venue";
import type { Logger } from "pino";
import type { RunnerConfig, SymbolConfig } from "../config/types.ts";
import type { SymbolTracker } from "../status/symbol-tracker.ts";

/**
 * The sandbox's taker flow (SANDBOX_TAKERS): other traders on the embedded venue, trading
 * against our ladder around the price the symbol's worker was last handed, so a first run
 * shows fills, position and P&L. Only ever started with the embedded venue.
 */
export function startSandboxTakers(
  config: RunnerConfig,
  address: string,
  trackers: ReadonlyMap<string, SymbolTracker>,
  logger: Logger,
): TakerFlow {
  const log = logger.child({ component: "sandbox-takers" });
  const flow = startTakerFlow({
    address,
    seed: config.syntheticSeed,
    // Someone else's liquidity beyond the ladder: the page's book view shows both.
    restingPerSide: 2,
    books: config.symbols.map((symbol) => ({
      book: symbol.book,
      price: () => trackers.get(symbol.symbol)?.snapshot().price?.value,
      size: symbol.orderSize,
      reachPercent: reachPercentOf(symbol),
    })),
    onOrder: (order) =>
      log.debug(
        order,
        `sandbox taker ${order.side} ${order.quantity} @ ${order.price} on ${order.book}: ${order.filled} traded`,
      ),
    onError: (error, book) => log.debug({ err: error, book }, "sandbox taker order failed"),
  });
  log.info(
    "SANDBOX: a seeded flow of taker orders trades against the books (about one every 2.5 s a symbol) and another trader rests orders beyond the ladder, so fills, position, P&L and a book show; SANDBOX_TAKERS=0 turns it off",
  );
  return flow;
}

/**
 * Out to the middle of the ladder's second level: half the spread plus one and a half
 * steps, so about half of the orders trade, most at the first level, some deeper.
 */
export function reachPercentOf(
  symbol: Pick<SymbolConfig, "baseSpreadPercent" | "priceStepPercent">,
): string {
  const halfSpread = mul(parseDecimal(symbol.baseSpreadPercent), parseDecimal("0.5"));
  const steps = mul(parseDecimal(symbol.priceStepPercent), parseDecimal("1.5"));
  return formatDecimal(normalize(add(halfSpread, steps)));
}
