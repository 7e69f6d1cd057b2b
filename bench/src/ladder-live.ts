import {
  abs,
  compare,
  type Decimal,
  eq,
  type Ladder,
  type Level,
  lte,
  mul,
  parseDecimal,
  sub,
} from "@matchingo-mm/core";

/** The part of a venue order the check reads. */
export interface RestingOrder {
  readonly side: "buy" | "sell";
  readonly price: string;
  readonly remainingQuantity: string;
  readonly userAddress: string;
}

const HUNDRED: Decimal = { units: 100n, scale: 0 };

/**
 * Is every level of `target` live on the venue? Each level must be served by its own
 * resting order of ours on its side, of the level's size, at the level's price (within
 * `tolerancePercent` of it: diff mode keeps an order that close), and nothing else of
 * ours may rest. Answers what is wrong; empty when the ladder is fully live.
 */
export function ladderProblems(
  target: Pick<Ladder, "bids" | "asks">,
  resting: readonly RestingOrder[],
  userAddress: string,
  tolerancePercent = "0",
): string[] {
  const tolerance = parseDecimal(tolerancePercent);
  const ours = resting.filter((order) => order.userAddress === userAddress);
  const problems: string[] = [];
  for (const [side, levels] of [
    ["buy", target.bids],
    ["sell", target.asks],
  ] as const) {
    const orders = ours
      .filter((order) => order.side === side)
      .map((order) => ({
        price: parseDecimal(order.price),
        quantity: parseDecimal(order.remainingQuantity),
        text: order.price,
      }))
      .sort((a, b) => compare(a.price, b.price));
    const wanted = [...levels]
      .map((level) => ({ level, price: parseDecimal(level.price) }))
      .sort((a, b) => compare(a.price, b.price));
    if (orders.length !== wanted.length) {
      problems.push(
        `${side}: ${orders.length} of our orders rest, the ladder has ${wanted.length}`,
      );
    }
    // Both sorted by price and each tolerance window rises with the price: a greedy sweep
    // finds a one-to-one match whenever one exists.
    let j = 0;
    const unmatched: Level[] = [];
    for (const { level, price } of wanted) {
      while (
        j < orders.length &&
        !near(orders[j]!.price, price, tolerance) &&
        lessThan(orders[j]!.price, price)
      )
        j++;
      const order = orders[j];
      if (
        order &&
        near(order.price, price, tolerance) &&
        eq(order.quantity, parseDecimal(level.quantity))
      ) {
        j++;
      } else {
        unmatched.push(level);
      }
    }
    for (const level of unmatched) {
      problems.push(
        `${side} level ${level.level} (${level.price} x ${level.quantity}) is not live`,
      );
    }
  }
  return problems;
}

const lessThan = (a: Decimal, b: Decimal) => compare(a, b) < 0;

function near(price: Decimal, target: Decimal, tolerance: Decimal): boolean {
  return lte(mul(abs(sub(price, target)), HUNDRED), mul(abs(target), tolerance));
}
