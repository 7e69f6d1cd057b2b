/**
 * A strategy of your own, plugged into core's market maker. Run it from packages/core:
 *
 *   npx tsx examples/custom-strategy.ts
 *
 * It quotes the seed's layered ladder, but once the position is long (short) past one
 * order size per level it stops bidding (offering): a one-line inventory rule on top of a
 * built-in strategy. The venue and the price feed are in memory, so nothing leaves the
 * process; in an app they are your `OrderGateway` and `PriceFeed` (grpc-client, price-sources).
 */
import {
  createMarketMaker,
  gt,
  layeredLadder,
  lt,
  type MarketView,
  mul,
  neg,
  type OrderGateway,
  type OrderIntent,
  type PriceFeed,
  type Strategy,
} from "../src/index.ts";

/** One side only once the position is past a whole ladder's worth of level 1's size. */
export const oneSidedWhenLoaded: Strategy = {
  name: "one-sided-when-loaded",
  quote(view: MarketView) {
    const ladder = layeredLadder(view);
    const size = view.ladder.sizes[0]!;
    const loaded = mul(size, { units: BigInt(view.ladder.levels), scale: 0 });
    if (gt(view.position, loaded)) return { ...ladder, bids: [] };
    if (lt(view.position, neg(loaded))) return { ...ladder, asks: [] };
    return ladder;
  },
};

/** Orders resting in memory: enough of a venue for one cycle. */
function memoryVenue(): OrderGateway & { resting: Map<string, OrderIntent> } {
  const resting = new Map<string, OrderIntent>();
  return {
    resting,
    async placeOrder(order) {
      resting.set(order.orderId, order);
      return {
        orderId: order.orderId,
        status: "open",
        filledQuantity: "0",
        remainingQuantity: order.quantity,
        alreadyPlaced: false,
      };
    },
    async cancelOrder(_book, orderId) {
      return resting.delete(orderId) ? "canceled" : "already-gone";
    },
    async getOrder(_book, orderId) {
      const order = resting.get(orderId);
      return order
        ? { state: "live", filledQuantity: "0", remainingQuantity: order.quantity }
        : { state: "gone" };
    },
    async getBook(book) {
      return { name: book };
    },
  };
}

/** One cycle at 50000 with a long position of 0.05: only asks are quoted. */
export async function main(): Promise<string[]> {
  const venue = memoryVenue();
  const feed: PriceFeed = {
    latest: async (symbol) => ({
      symbol,
      price: "50000.00",
      receivedAt: Date.now(),
      source: "example",
    }),
  };
  const mm = createMarketMaker({
    symbol: "BTC-USDT",
    book: "BTC-USDT",
    marketMakerId: "mm-example",
    ladder: {
      levels: 3,
      baseSpreadPercent: "0.1",
      priceStepPercent: "0.05",
      orderSize: "0.01,0.02,0.04",
      priceTick: "0.01",
      qtyStep: "0.001",
    },
    strategy: oneSidedWhenLoaded,
    restored: {
      pnl: {
        position: "0.05",
        costBasis: "2500",
        realized: "0",
        fees: "0",
        volume: "2500",
        fills: 1,
      },
    },
    feed,
    gateway: venue,
  });
  await mm.runCycle();
  const orders = [...venue.resting.values()].map((o) => `${o.side} ${o.quantity} @ ${o.price}`);
  await mm.cancelAll();
  return orders;
}

// Run directly (not when a test imports it): print what was placed.
const entry = (globalThis as { process?: { argv?: string[] } }).process?.argv?.[1];
if (entry !== undefined && import.meta.url === `file://${entry}`) {
  for (const line of await main()) console.log(line);
}
