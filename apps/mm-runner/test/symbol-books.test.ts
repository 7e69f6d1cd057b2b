import { join } from "node:path";
import type { FillEvent, HaltedEvent, MarketMakerEvent } from "@matchingo-mm/core";
import { tempDir } from "@matchingo-mm/testkit";
import { expect, it } from "vitest";
import { openLedger } from "../src/ledger/ledger.ts";
import { createSymbolBooks, type LedgerWriteFailure } from "../src/ledger/symbol-books.ts";
import { eventToWire } from "../src/workers/wire/events.ts";

const base = { symbol: "BTC-USDT", book: "BTC-USDT", time: 1_700_000_000_000 };
const fill = (side: "buy" | "sell", price: string, quantity: string): FillEvent => ({
  ...base,
  type: "fill",
  orderId: `mm-${side}-${price}`,
  side,
  price,
  quantity,
  remaining: "0",
  position: "0",
  via: "cancel-found-gone",
  fee: "0.01",
  realized: "0",
});

/** The books on a fresh connection to the ledger at `path`, as a runner (re)starting opens it. */
function open(path: string) {
  const ledger = openLedger(path);
  const failures: LedgerWriteFailure[] = [];
  const books = createSymbolBooks(ledger, (failure) => failures.push(failure));
  const record = (event: MarketMakerEvent) => books.record("BTC-USDT", eventToWire(event));
  return { ledger, books, failures, record };
}

it("books fills, a halt and the resume that lifts it; a worker (re)starts from them", () => {
  const path = join(tempDir("mm-books-"), "ledger.sqlite");
  const first = open(path);
  expect(first.books.start("BTC-USDT")).toEqual({
    restored: {
      pnl: { position: "0", costBasis: "0", realized: "0", fees: "0", volume: "0", fills: 0 },
      baseVolume: "0",
    },
    restoredOrders: [],
  });
  first.record(fill("buy", "100", "2"));
  first.record(fill("sell", "110", "0.5"));
  const halted: HaltedEvent = {
    ...base,
    type: "halted",
    reason: "kill switch: loss 5 reached MAX_LOSS 5",
    realized: "0",
    unrealized: "-5",
    peak: "0",
    position: "1.5",
  };
  first.record(halted);
  // A worker restarted in the same run starts from what is booked so far.
  const restarted = first.books.start("BTC-USDT");
  first.ledger.close();

  const second = open(path);
  // 0.5 sold at 110 against an average 100: +5, minus the two fees of 0.01.
  const expected = {
    restored: {
      pnl: {
        position: "1.5",
        costBasis: "150",
        realized: "4.98",
        fees: "0.02",
        volume: "255",
        fills: 2,
      },
      baseVolume: "2.5",
    },
    halted: halted.reason,
    // Each order's fills, so the trade stream's late word on them is booked only beyond.
    restoredOrders: [
      { orderId: "mm-buy-100", side: "buy", booked: "2", streamed: "0" },
      { orderId: "mm-sell-110", side: "sell", booked: "0.5", streamed: "0" },
    ],
  };
  expect(restarted).toEqual(expected);
  expect(second.books.start("BTC-USDT")).toEqual(expected);
  expect(second.books.start("ETH-USDT").restored.pnl.fills).toBe(0);
  // Any resume (the control API's, core's) lifts the halt in the ledger too.
  second.record({ ...base, type: "resumed", halted: halted.reason } as MarketMakerEvent);
  second.ledger.close();

  const ledger = openLedger(path, { readonly: true });
  expect(ledger.halted("BTC-USDT")).toBeUndefined();
  expect(ledger.fills().map((f) => f.source)).toEqual(["cancel-found-gone", "cancel-found-gone"]);
  ledger.close();
  expect([...first.failures, ...second.failures]).toEqual([]);
});

it("hands a fill the ledger refuses to onFailure, without throwing", () => {
  const path = join(tempDir("mm-books-"), "ledger.sqlite");
  const { ledger, failures, record } = open(path);
  record({ ...fill("buy", "100", "1"), quantity: "-1" });
  ledger.close();
  expect(failures).toMatchObject([
    {
      symbol: "BTC-USDT",
      what: "could not record a fill",
      fields: { side: "buy", price: "100", quantity: "-1" },
    },
  ]);
  expect(failures[0]?.error).toBeInstanceOf(Error);
});
