/** The three exchanges' real payload shapes, as their public REST APIs send them. */

export const binancePrice = (symbol: string, price: string) => ({ symbol, price });

export const binanceBook = (symbol: string, bid: string, ask: string) => ({
  symbol,
  bidPrice: bid,
  bidQty: "1.50000000",
  askPrice: ask,
  askQty: "0.75000000",
});

export const binanceInvalidSymbol = { code: -1121, msg: "Invalid symbol." };

export const coinbaseTicker = (
  price: string,
  time: string,
  bid = "50000.00",
  ask = "50001.00",
) => ({
  ask,
  bid,
  volume: "1234.5",
  trade_id: 123456,
  price,
  size: "0.01",
  time,
  rfq_volume: "0",
});

export const krakenPair = (last: string, bid = "50000.00000", ask = "50001.00000") => ({
  a: [ask, "1", "1.000"],
  b: [bid, "2", "2.000"],
  c: [last, "0.01000000"],
  v: ["100.1", "2000.2"],
  p: ["50000.1", "49990.2"],
  t: [1000, 20000],
  l: ["49000.0", "48000.0"],
  h: ["51000.0", "52000.0"],
  o: "49500.0",
});

export const krakenAnswer = (result: Record<string, unknown>) => ({ error: [], result });

export const krakenError = (...error: string[]) => ({ error });

/** Decodes a query string into its parameters, for readable assertions. */
export function queryOf(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}
