import type { MarketMakerEvent } from "../../src/index.ts";
import { createTimestamps, layered, resolveRequoter } from "../../src/index.ts";
import { type MarketMakerContext, newStats } from "../../src/market-maker/context.ts";
import { createFillLedger } from "../../src/market-maker/fill-ledger.ts";
import { createPriceHistory } from "../../src/market-maker/price-history.ts";
import { parseQuoteParams } from "../../src/market-maker/quote-params.ts";
import { createSettledOrders } from "../../src/market-maker/settled-orders.ts";
import { createShutdownDeadline } from "../../src/market-maker/shutdown-deadline.ts";
import { createTrackedOrders } from "../../src/market-maker/tracked-orders.ts";
import { parseRisk } from "../../src/risk/risk-settings.ts";
import {
  type FakeVenue,
  fakeClock,
  fakeFeed,
  fakeVenue,
  type MemoryJournal,
  memoryJournal,
} from "../fakes.ts";

/** A market maker's parts without the loop, to test one module at a time. */
export function testContext(): {
  ctx: MarketMakerContext;
  venue: FakeVenue;
  journal: MemoryJournal;
  events: MarketMakerEvent[];
} {
  const clock = fakeClock();
  const venue = fakeVenue({ books: ["BTC-USDT"] });
  const journal = memoryJournal();
  const events: MarketMakerEvent[] = [];
  const ctx: MarketMakerContext = {
    settings: {
      symbol: "BTC-USDT",
      book: "BTC-USDT",
      marketMakerId: "mm-01",
      intervalMs: 1_000,
      alignToInterval: false,
      maxPriceAgeMs: 30_000,
      concurrency: 4,
      maxBackoffMs: 5_000,
      shutdownTimeoutMs: 1_000,
      uncertainGraceMs: 0,
      requoter: resolveRequoter("diff"),
      strategy: layered,
      fillPolling: "priority",
      reconcileIntervalMs: 60_000,
      streamGraceMs: 5_000,
    },
    ports: { feed: fakeFeed(clock, "50000"), gateway: venue, journal, clock },
    orders: createTrackedOrders(),
    settled: createSettledOrders(),
    streamKeys: new Set(),
    ledger: createFillLedger(),
    deadline: createShutdownDeadline(),
    prices: createPriceHistory(),
    timestamps: createTimestamps({ clock }),
    emit: (event) =>
      events.push({
        symbol: "BTC-USDT",
        book: "BTC-USDT",
        time: clock.now(),
        ...event,
      } as MarketMakerEvent),
    params: parseQuoteParams({
      ladder: {
        levels: 3,
        baseSpreadPercent: "0.1",
        priceStepPercent: "0.05",
        orderSize: "0.01",
        priceTick: "0.01",
        qtyStep: "0.001",
      },
    }),
    risk: parseRisk({}),
    stats: newStats(),
    venue: "unknown",
    bookSeen: false,
    venueChecked: false,
    cycles: 0,
    missedSlots: 0,
    quotesPulled: false,
    paused: false,
  };
  return { ctx, venue, journal, events };
}
