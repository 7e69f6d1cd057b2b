/**
 * What core needs from the outside world. Adapters (grpc-client, price-sources, the
 * runner's journal) implement these; core never imports an adapter.
 *
 * Prices and quantities are decimal strings everywhere on these interfaces.
 */

export interface CallOptions {
  readonly signal?: AbortSignal;
}

// ---------------------------------------------------------------- prices

/** One accepted reference price for one symbol. */
export interface PriceTick {
  /** Canonical `BASE-QUOTE` symbol the tick was asked for, e.g. `BTC-USDT`. */
  readonly symbol: string;
  /** The reference price (last trade unless the source says otherwise), a decimal string. */
  readonly price: string;
  readonly bid?: string;
  readonly ask?: string;
  /** When the exchange says the price was made, ms since the epoch, where it says. */
  readonly exchangeTime?: number;
  /** When we received it, ms since the epoch. */
  readonly receivedAt: number;
  /** Which source answered: `binance`, `coinbase`, `kraken`, `synthetic`, `replay`, ... */
  readonly source: string;
}

/**
 * Answers the current reference price of a symbol, or rejects with a `PriceError`.
 * A rejection means "no usable price": the loop places nothing new on it.
 */
export interface PriceFeed {
  latest(symbol: string, options?: CallOptions): Promise<PriceTick>;
  /**
   * Optional push: calls `listener` with every new tick for `symbol` as it arrives, until
   * the returned function is called. A feed that has it makes the loop requote on price
   * moves (within `minRequoteIntervalMs`) instead of only every `intervalMs`; `latest`
   * is still asked by the full cycle. The listener must not throw.
   */
  subscribe?(symbol: string, listener: (tick: PriceTick) => void): () => void;
}

// ---------------------------------------------------------------- fills

/** One trade of one of our orders, as the venue's trade stream reported it. */
export interface TradeFill {
  readonly orderId: string;
  /** `maker`: a taker hit our resting order; `taker`: our order crossed on arrival. */
  readonly role: "maker" | "taker";
  /** The trade's price (for a taker fill the resting order's, not our limit), decimal. */
  readonly price: string;
  /** Decimal, > 0. */
  readonly quantity: string;
  /**
   * Names the trade, unique per trade (the runner's: `topic/takerOrderId/orderId/index`): a
   * fill whose key was seen already is a redelivery and is not booked again.
   */
  readonly key?: string;
  /** When we received it, ms since the epoch (fill-to-reaction latency counts from here). */
  readonly receivedAt: number;
}

/**
 * The venue's own record of our trades, pushed as they happen (Matchingo's DoneMessages on
 * Kafka, or the embedded venue's). With one the loop books fills as they arrive and reacts
 * to them at once; its polls become a slow reconciliation.
 */
export interface FillFeed {
  /** Calls `listener` with each fill of an order of `symbol`, until the returned function is called. */
  subscribe(symbol: string, listener: (fill: TradeFill) => void): () => void;
  /**
   * Whether fills are arriving now. While false (broker down, say) the loop polls fills
   * as if it had no stream, and what the stream reports later is booked only beyond what
   * the polls booked.
   */
  live(): boolean;
  /**
   * Resolves once every fill the venue had published when it was called has been handed
   * to the listeners (a Kafka stream: read to the topic's end as of the call). The loop
   * calls it at a stop, after its last cancel, so the fills of its orders' last moments
   * are booked before it ends. Resolves, never rejects, when it cannot (then the next
   * start books them); optional: a feed that hands fills as they happen needs none.
   */
  readToEnd?(options: CallOptions): Promise<void>;
}

// ---------------------------------------------------------------- orders

export type Side = "buy" | "sell";

/** A limit GTC order we want on the venue. */
export interface OrderIntent {
  readonly book: string;
  readonly orderId: string;
  readonly side: Side;
  readonly price: string;
  readonly quantity: string;
}

export interface PlacedOrder {
  readonly orderId: string;
  /** `filled`: it traded completely on arrival and is not resting. */
  readonly status: "open" | "partially-filled" | "filled";
  readonly filledQuantity: string;
  readonly remainingQuantity: string;
  /** True when the venue already had this id live (an earlier attempt got through). */
  readonly alreadyPlaced: boolean;
  /**
   * What it traded on arrival, one entry per resting order it met, at that order's price
   * (a crossing order trades at the resting price, not at its own limit). Absent when the
   * venue does not say; `filledQuantity` not covered here is booked at the limit.
   */
  readonly trades?: readonly Trade[];
}

/** One execution of an order: its price and quantity. */
export interface Trade {
  readonly price: string;
  readonly quantity: string;
}

/** `already-gone`: the venue does not hold it (cancelled earlier, filled, never arrived). */
export type CancelOutcome = "canceled" | "already-gone";

export type OrderStatus =
  | {
      readonly state: "live";
      readonly filledQuantity: string;
      readonly remainingQuantity: string;
    }
  /** Not resting: filled, cancelled, lost in a venue restart, or never placed. */
  | { readonly state: "gone" };

export interface BookInfo {
  readonly name: string;
  /** When the venue made the book, ms since the epoch; changes when a venue restarts. */
  readonly createdAt?: number;
  readonly orderCount?: number;
}

/**
 * The venue as core sees it. Failures reject with a `VenueError`; `outcomeUnknown` on
 * it says whether a failed call may still have taken effect.
 */
export interface OrderGateway {
  placeOrder(order: OrderIntent, options?: CallOptions): Promise<PlacedOrder>;
  cancelOrder(book: string, orderId: string, options?: CallOptions): Promise<CancelOutcome>;
  getOrder(book: string, orderId: string, options?: CallOptions): Promise<OrderStatus>;
  /** The book, or undefined when the venue has no such book. */
  getBook(book: string, options?: CallOptions): Promise<BookInfo | undefined>;
}

// ---------------------------------------------------------------- ownership

/**
 * Durable record of the orders we may own, so a crash cannot orphan them.
 * `opened` is awaited before CreateOrder is sent; `closed` once the order is known gone.
 */
export interface OrderJournal {
  opened(order: OrderIntent): void | Promise<void>;
  closed(book: string, orderId: string): void | Promise<void>;
}

export interface Clock {
  /** ms since the epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
