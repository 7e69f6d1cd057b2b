import { expect, it } from "vitest";
import { DEFAULT_MAX_TRADES, Exchange } from "../src/exchange.ts";

it("keeps at least the latest maxTrades trades, oldest first, and survives a throwing listener", () => {
  const listenerErrors: unknown[] = [];
  const exchange = new Exchange({
    maxTrades: 10,
    onListenerError: (error) => listenerErrors.push(error),
  });
  exchange.onEvent(() => {
    throw new Error("listener bug");
  });
  const book = exchange.createBook("b")!;
  for (let i = 0; i < 30; i++) {
    const order = { kind: "limit", timeInForce: "GTC", price: 1000n, quantity: 1000n } as const;
    exchange.submit(book, { ...order, id: `s${i}`, side: "sell", userAddress: "maker" });
    exchange.submit(book, { ...order, id: `b${i}`, side: "buy", userAddress: "taker" });
  }
  const trades = exchange.trades();
  expect(trades.length).toBeGreaterThanOrEqual(10);
  expect(trades.length).toBeLessThanOrEqual(11);
  expect(trades.at(-1)).toMatchObject({ takerOrderId: "b29", makerOrderId: "s29" });
  expect(trades.map((t) => Number(t.takerOrderId.slice(1)))).toEqual(
    [...trades.map((t) => Number(t.takerOrderId.slice(1)))].sort((a, b) => a - b),
  );
  expect(book.size).toBe(0);
  expect(listenerErrors.length).toBeGreaterThan(0);
});

it("bounds the trade log by default: a venue left running keeps at most the latest 10,000 trades and a tenth", () => {
  const exchange = new Exchange();
  const book = exchange.createBook("b")!;
  const order = { kind: "limit", timeInForce: "GTC", price: 1000n, quantity: 1000n } as const;
  for (let i = 0; i < 2.5 * DEFAULT_MAX_TRADES; i++) {
    exchange.submit(book, { ...order, id: `s${i}`, side: "sell", userAddress: "maker" });
    exchange.submit(book, { ...order, id: `b${i}`, side: "buy", userAddress: "taker" });
    expect(exchange.tradeCount()).toBeLessThanOrEqual(DEFAULT_MAX_TRADES * 1.1 + 1);
  }
  expect(DEFAULT_MAX_TRADES).toBe(10_000);
  expect(exchange.tradeCount()).toBeGreaterThanOrEqual(DEFAULT_MAX_TRADES);
  expect(exchange.trades().at(-1)).toMatchObject({
    takerOrderId: `b${2.5 * DEFAULT_MAX_TRADES - 1}`,
  });
  expect(book.size).toBe(0);
});
