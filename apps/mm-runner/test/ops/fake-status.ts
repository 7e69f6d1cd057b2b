import type { RunnerStatus, SymbolState, SymbolStatus } from "../../src/ops/index.ts";

/** A status a supervisor could produce: a symbol quoting a 2-level ladder around `price`. */
export function symbolStatus(
  symbol: string,
  price: string,
  overrides: Partial<SymbolStatus> = {},
): SymbolStatus {
  const p = Number(price);
  const id = (side: string, level: number) => `mm-${symbol}-${side}-${level}-1700000000000`;
  return {
    symbol,
    book: symbol,
    marketMakerId: `mm-${symbol}`,
    strategy: "avellaneda-stoikov",
    sizes: ["0.01", "0.02"],
    state: "quoting",
    reasons: [],
    price: { value: price, source: "binance", receivedAt: Date.now() },
    feed: { via: "stream", source: "binance", ageMs: 0, reconnects: 0, gaps: 0, failovers: 0 },
    bids: [1, 2].map((level) => ({
      price: (p - level).toFixed(2),
      quantity: "0.010",
      orderId: id("buy", level),
    })),
    asks: [1, 2].map((level) => ({
      price: (p + level).toFixed(2),
      quantity: "0.010",
      orderId: id("sell", level),
    })),
    fills: { count: 3, volume: "0.030" },
    position: "-0.010",
    cycles: 7,
    lastCycleAt: Date.now(),
    workerRestarts: 0,
    events: [{ at: Date.now(), type: "cycle", message: "placed 4, cancelled 4", level: "info" }],
    ...overrides,
  };
}

export function runnerStatus(symbols: SymbolStatus[], synthetic = false): RunnerStatus {
  return {
    startedAt: Date.now() - 60_000,
    now: Date.now(),
    venue: { address: "127.0.0.1:50051", embedded: true },
    synthetic,
    symbols,
  };
}

/** A mutable fake supervisor: tests change prices and states, getStatus sees them. */
export function fakeSupervisor(initial: Record<string, string>) {
  const prices = new Map(Object.entries(initial));
  const states = new Map<string, Partial<SymbolStatus>>();
  let synthetic = false;
  return {
    setPrice(symbol: string, price: string) {
      prices.set(symbol, price);
    },
    setState(
      symbol: string,
      state: SymbolState,
      reasons: string[] = [],
      more: Partial<SymbolStatus> = {},
    ) {
      states.set(symbol, { state, reasons, ...more });
    },
    setSynthetic(value: boolean) {
      synthetic = value;
    },
    getStatus(): RunnerStatus {
      return runnerStatus(
        [...prices].map(([symbol, price]) =>
          symbolStatus(symbol, price, {
            ...states.get(symbol),
            ...(synthetic
              ? { price: { value: price, source: "synthetic", receivedAt: Date.now() } }
              : {}),
          }),
        ),
        synthetic,
      );
    },
  };
}
