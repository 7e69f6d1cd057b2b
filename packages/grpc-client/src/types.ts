import type { BookInfo, CallOptions, Side } from "@matchingo-mm/core";
import type { MetadataInit } from "nice-grpc-common";

/** Options of one call on the client. */
export interface MatchingoCallOptions extends CallOptions {
  /** Budget of this call, retries included; overrides the client's `deadlineMs`. */
  readonly deadlineMs?: number;
  /** Sent with this call only; replaces the client's value of a key it also sets. */
  readonly metadata?: MetadataInit;
  /**
   * Called after every attempt of this call, after the client's own `onRpc`: lets one
   * client serve many callers that each count their own rpcs. Exceptions it throws are ignored.
   */
  readonly onRpc?: (info: RpcInfo) => void;
}

/** Options of one CreateOrder. */
export interface PlaceOrderOptions extends MatchingoCallOptions {
  /** Sent as `user_address` instead of the client's `userAddress` (one client, many market makers). */
  readonly userAddress?: string;
}

export type BookBackend = "memory" | "redis" | "unknown";

export interface OrderBookInfo extends BookInfo {
  readonly name: string;
  readonly backend: BookBackend;
  /** When the venue made the book, ms since the epoch; changes when the venue restarts. */
  readonly createdAt?: number;
  /** Matchingo counts the CreateOrders the book accepted, not its live orders. */
  readonly orderCount: number;
}

export interface OrderBookPage {
  readonly books: readonly OrderBookInfo[];
  /** How many books the venue has in all. */
  readonly total: number;
}

export interface BookLevel {
  readonly price: string;
  /** Sum of the remaining quantity of the orders at this price. */
  readonly totalQuantity: string;
  readonly orderCount: number;
  /** Owner of the first order at this price. */
  readonly userAddress: string;
}

export interface OrderBookState {
  readonly name: string;
  /** Best (highest) first. */
  readonly bids: readonly BookLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly BookLevel[];
  /** ms since the epoch, when the venue sends it. */
  readonly timestamp?: number;
}

export type VenueOrderStatus =
  | "pending"
  | "open"
  | "partially-filled"
  | "filled"
  | "canceled"
  | "rejected"
  | "unknown";
export type VenueOrderType = "limit" | "market" | "stop" | "stop-limit" | "unknown";
export type VenueTimeInForce = "gtc" | "ioc" | "fok" | "unknown";

export interface VenueFill {
  readonly price: string;
  readonly quantity: string;
  readonly timestamp?: number;
}

/** Everything GetOrder tells about a live order, with decimal strings as the venue prints them. */
export interface OrderDetails {
  readonly book: string;
  readonly orderId: string;
  readonly side: Side | "unknown";
  readonly type: VenueOrderType;
  readonly timeInForce: VenueTimeInForce;
  readonly status: VenueOrderStatus;
  readonly price: string;
  readonly quantity: string;
  readonly stopPrice: string;
  readonly filledQuantity: string;
  readonly remainingQuantity: string;
  /** Matchingo sends the time of the GetOrder call, not when the order was made. */
  readonly createdAt?: number;
  readonly updatedAt?: number;
  /** Always empty from Matchingo's GetOrder (its CreateOrder answer has them, oddly). */
  readonly fills: readonly VenueFill[];
  readonly ocoId: string;
  /** Always "" from Matchingo: it never sends an order's user_address back. */
  readonly userAddress: string;
}

export type DeleteOutcome = "deleted" | "already-gone";

export interface CreateOrderBookOptions extends MatchingoCallOptions {
  /** The venue's storage for the book; Matchingo makes MEMORY books. */
  readonly backend?: "memory" | "redis";
  readonly bookOptions?: Readonly<Record<string, string>>;
}

export interface EnsuredOrderBook {
  readonly book: OrderBookInfo;
  /** False when the book was already there. */
  readonly created: boolean;
}

export interface RpcInfo {
  /** Short rpc name, e.g. `CreateOrder`. */
  readonly method: string;
  /** gRPC status number of the attempt (0 = OK; CANCELLED when the caller aborted). */
  readonly code: number;
  /** Status name, e.g. `OK`, `UNAVAILABLE`: a ready-made metrics label. */
  readonly codeName: string;
  readonly durationMs: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
}
