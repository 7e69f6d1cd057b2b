import {
  type CreateOrderRequest,
  type DeepPartial,
  type OrderBookServiceClient,
  OrderBookServiceDefinition,
  OrderSide,
  OrderType,
  TimeInForce,
} from "@matchingo-mm/grpc-client/proto";
import { type Channel, ClientError, createChannel, createClient, type Status } from "nice-grpc";
import { expect } from "vitest";
import { startVenue, type Venue, type VenueOptions } from "../src/index.ts";

export type MatchingoClient = OrderBookServiceClient;

export interface TestVenue {
  readonly venue: Venue;
  readonly client: MatchingoClient;
  /** Another client on its own channel (its own HTTP/2 connection). */
  newClient(): MatchingoClient;
  close(): Promise<void>;
}

export async function startTestVenue(options: VenueOptions = {}): Promise<TestVenue> {
  const venue = await startVenue(options);
  const channels: Channel[] = [];
  const newClient = (): MatchingoClient => {
    const channel = createChannel(venue.address);
    channels.push(channel);
    return connect(channel);
  };
  return {
    venue,
    client: newClient(),
    newClient,
    async close() {
      for (const channel of channels) channel.close();
      await venue.close();
    },
  };
}

export function connect(channel: Channel): MatchingoClient {
  return createClient(OrderBookServiceDefinition, channel);
}

export function limitOrder(
  orderId: string,
  side: "buy" | "sell",
  price: string,
  quantity: string,
  extra: DeepPartial<CreateOrderRequest> = {},
): DeepPartial<CreateOrderRequest> {
  return {
    orderBookName: "test",
    orderId,
    side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
    price,
    quantity,
    orderType: OrderType.LIMIT,
    timeInForce: TimeInForce.GTC,
    userAddress: `user-${orderId}`,
    ...extra,
  };
}

export function marketOrder(
  orderId: string,
  side: "buy" | "sell",
  quantity: string,
  extra: DeepPartial<CreateOrderRequest> = {},
): DeepPartial<CreateOrderRequest> {
  return {
    orderBookName: "test",
    orderId,
    side: side === "buy" ? OrderSide.BUY : OrderSide.SELL,
    quantity,
    orderType: OrderType.MARKET,
    userAddress: `user-${orderId}`,
    ...extra,
  };
}

/** Awaits a call that must fail with `code`; returns the error for further checks. */
export async function expectStatus(
  call: Promise<unknown>,
  code: Status,
  details?: string | RegExp,
): Promise<ClientError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected gRPC status ${code}, got a response: ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ClientError);
  const clientError = error as ClientError;
  expect(clientError.code).toBe(code);
  if (details !== undefined) expect(clientError.details).toMatch(details);
  return clientError;
}

/** Polls until `condition` holds (no fixed sleeps); fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
