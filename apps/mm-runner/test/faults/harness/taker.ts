import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { OrderSide, OrderStatus, OrderType, TimeInForce } from "@matchingo-mm/grpc-client/proto";

export interface Taker {
  readonly userAddress: string;
  /**
   * An IOC limit order against the book (`sell` hits bids, `buy` lifts asks): it trades
   * what it can at `price` or better and never rests. Answers the quantity traded.
   */
  take(book: string, side: "buy" | "sell", price: string, quantity: string): Promise<string>;
  close(): void;
}

/** Another participant on the venue: its own gRPC client, its own user address. */
export function createTaker(address: string, userAddress = "taker-1"): Taker {
  const client = createMatchingoClient({ address, userAddress, retry: { maxAttempts: 1 } });
  let n = 0;
  return {
    userAddress,
    async take(book, side, price, quantity) {
      const response = await client.raw.createOrder({
        orderBookName: book,
        orderId: `${userAddress}-${++n}`,
        side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
        quantity,
        price,
        orderType: OrderType.LIMIT,
        timeInForce: TimeInForce.IOC,
        userAddress,
      });
      if (response.status === OrderStatus.REJECTED) throw new Error(`taker order rejected`);
      return response.filledQuantity;
    },
    close: () => client.close(),
  };
}
