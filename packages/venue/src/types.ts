/** Public, in-process view of the venue. Decimals are strings as the venue prints them. */

export type VenueSide = "buy" | "sell";

export interface VenueOrder {
  readonly book: string;
  readonly orderId: string;
  readonly side: VenueSide;
  /** e.g. "49975.000" */
  readonly price: string;
  /** The original quantity. */
  readonly quantity: string;
  readonly remainingQuantity: string;
  readonly filledQuantity: string;
  readonly userAddress: string;
  readonly createdAt: Date;
}

export interface VenueTrade {
  readonly book: string;
  readonly takerOrderId: string;
  readonly makerOrderId: string;
  readonly takerUserAddress: string;
  readonly makerUserAddress: string;
  readonly takerSide: VenueSide;
  /** The resting (maker) order's price. */
  readonly price: string;
  readonly quantity: string;
  readonly time: Date;
}

export interface VenueBookInfo {
  readonly name: string;
  readonly backendType: "memory";
  readonly createdAt: Date;
  /** Live orders in the book. */
  readonly orderCount: number;
}

export type VenueOrderType = "limit" | "market";
export type VenueTimeInForce = "GTC" | "IOC" | "FOK";
export type VenueOrderStatus = "OPEN" | "PARTIALLY_FILLED" | "FILLED";

/** Everything that happens to books and orders, in the order it happened. */
export type VenueEvent =
  | { readonly type: "book-created"; readonly book: string; readonly time: Date }
  | {
      readonly type: "book-deleted";
      readonly book: string;
      /** Live orders that vanished with the book. */
      readonly droppedOrders: number;
      readonly time: Date;
    }
  | {
      readonly type: "order-created";
      readonly book: string;
      readonly orderId: string;
      readonly side: VenueSide;
      readonly orderType: VenueOrderType;
      readonly timeInForce: VenueTimeInForce;
      /** "" for a market order. */
      readonly price: string;
      readonly quantity: string;
      readonly filledQuantity: string;
      /** What now rests in the book ("0" when nothing does). */
      readonly restingQuantity: string;
      readonly status: VenueOrderStatus;
      readonly userAddress: string;
      readonly time: Date;
    }
  | {
      readonly type: "order-rejected";
      readonly book: string;
      readonly orderId: string;
      /** The gRPC status name, e.g. "INVALID_ARGUMENT". */
      readonly code: string;
      readonly message: string;
      readonly time: Date;
    }
  | ({ readonly type: "trade" } & VenueTrade)
  | {
      readonly type: "order-canceled";
      readonly book: string;
      readonly orderId: string;
      readonly remainingQuantity: string;
      readonly userAddress: string;
      readonly time: Date;
    };

export type VenueEventListener = (event: VenueEvent) => void;
