import {
  type Decimal,
  formatDecimal,
  isMultipleOf,
  lt,
  lte,
  parseDecimal,
  sign,
} from "../decimal.ts";
import { type Ladder, type LadderConfig, LadderError, type Level } from "../ladder.ts";
import type { Side } from "../ports.ts";

/**
 * Refuses a ladder a strategy returned that must not become orders: a price or size that
 * is not a positive multiple of the tick or lot step, a side out of order (best first,
 * strictly), a level on the wrong side or misnumbered, more levels than configured, or a
 * best bid at or above the best ask (we would trade with ourselves). A `LadderError`
 * naming the level; the ladder is returned unchanged when it is sound.
 */
export function checkTargetLadder(ladder: Ladder, config: LadderConfig, strategy: string): Ladder {
  const fail = (message: string, value: unknown): never => {
    throw new LadderError(`strategy ${strategy}: ${message}`, "strategy", value);
  };
  if (
    ladder === null ||
    typeof ladder !== "object" ||
    !Array.isArray(ladder.bids) ||
    !Array.isArray(ladder.asks)
  ) {
    return fail("returned no ladder (bids and asks)", ladder);
  }
  const side = (levels: readonly Level[], expected: Side): Decimal | undefined => {
    if (levels.length > config.levels) {
      fail(
        `returned ${levels.length} ${expected} levels, more than the ${config.levels} configured`,
        levels.length,
      );
    }
    let previous: Decimal | undefined;
    let first: Decimal | undefined;
    levels.forEach((level, index) => {
      const where = `${expected} level ${index + 1}`;
      if (level?.side !== expected || level.level !== index + 1) {
        fail(`${where} is labelled ${level?.side} level ${level?.level}`, level);
      }
      let price: Decimal;
      let quantity: Decimal;
      try {
        price = parseDecimal(level.price);
        quantity = parseDecimal(level.quantity);
      } catch (cause) {
        throw new LadderError(`strategy ${strategy}: ${where} is not decimal`, "strategy", level, {
          cause,
        });
      }
      if (sign(price) <= 0 || !isMultipleOf(price, config.priceTick)) {
        fail(
          `${where} price ${level.price} is not a positive multiple of the tick ${formatDecimal(config.priceTick)}`,
          level.price,
        );
      }
      if (sign(quantity) <= 0 || !isMultipleOf(quantity, config.qtyStep)) {
        fail(
          `${where} size ${level.quantity} is not a positive multiple of the lot step ${formatDecimal(config.qtyStep)}`,
          level.quantity,
        );
      }
      if (previous !== undefined) {
        const ordered = expected === "buy" ? lt(price, previous) : lt(previous, price);
        if (!ordered)
          fail(
            `${where} price ${level.price} is not further out than the level inside it`,
            level.price,
          );
      }
      previous = price;
      first ??= price;
    });
    return first;
  };
  const bestBid = side(ladder.bids, "buy");
  const bestAsk = side(ladder.asks, "sell");
  if (bestBid !== undefined && bestAsk !== undefined && lte(bestAsk, bestBid)) {
    fail(
      `best bid ${formatDecimal(bestBid)} is not below best ask ${formatDecimal(bestAsk)}`,
      formatDecimal(bestBid),
    );
  }
  return ladder;
}
