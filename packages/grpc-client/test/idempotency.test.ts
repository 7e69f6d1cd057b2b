import { DecimalError, VenueError } from "@matchingo-mm/core";
import { ServerError, Status } from "nice-grpc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMatchingoClient, type MatchingoClient, type RpcInfo } from "../src/index.ts";
import { FakeVenue, TEST_ORDER as order } from "./support/fake-venue.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

let venue: FakeVenue;
let server: TestServer;
let client: MatchingoClient;
let rpcs: RpcInfo[];

beforeEach(async () => {
  venue = new FakeVenue();
  server = await startTestServer(venue.implementation);
  rpcs = [];
  client = createMatchingoClient({
    address: server.address,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    onRpc: (info) => rpcs.push(info),
  });
});

afterEach(async () => {
  client.close();
  await server.close();
});

/** Fails the first call of `method` with `code` after it has taken effect on the venue. */
function loseFirstAnswer(method: string, code = Status.UNAVAILABLE) {
  let failed = false;
  venue.after = (call) => {
    if (call.method === method && !failed) {
      failed = true;
      throw new ServerError(code, "connection reset by peer");
    }
  };
}

describe("CreateOrder idempotency", () => {
  it("a retry that meets ALREADY_EXISTS for its own id counts as placed", async () => {
    loseFirstAnswer("CreateOrder");
    const placed = await client.placeOrder(order);
    expect(placed).toEqual({
      orderId: "o-1",
      status: "open",
      filledQuantity: "0",
      remainingQuantity: "0.010",
      alreadyPlaced: true,
    });
    expect(venue.calls("CreateOrder")).toBe(2);
    // The follow-up GetOrder read the real state of the order.
    expect(venue.calls("GetOrder")).toBe(1);
    expect(
      rpcs.map(({ method, codeName, attempt }) => `${method} ${codeName} #${attempt}`),
    ).toEqual(["CreateOrder UNAVAILABLE #1", "CreateOrder ALREADY_EXISTS #2", "GetOrder OK #1"]);
  });

  it("when the follow-up GetOrder fails too, it is still placed, assumed resting", async () => {
    loseFirstAnswer("CreateOrder");
    venue.before = (call) => {
      if (call.method === "GetOrder") throw new ServerError(Status.INTERNAL, "storage hiccup");
    };
    await expect(client.placeOrder(order)).resolves.toEqual({
      orderId: "o-1",
      status: "open",
      filledQuantity: "0",
      remainingQuantity: "0.010",
      alreadyPlaced: true,
    });
  });

  it("ALREADY_EXISTS on the first attempt is a real conflict", async () => {
    await client.placeOrder(order);
    const error = await client.placeOrder(order).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueError);
    expect(error).toMatchObject({
      kind: "already-exists",
      code: Status.ALREADY_EXISTS,
      method: "CreateOrder",
      outcomeUnknown: false,
    });
    expect((error as Error).message).toContain("order with ID o-1 already exists");
    expect(venue.calls("CreateOrder")).toBe(2);
  });

  it("a retried CancelOrder that meets NOT_FOUND: its first attempt cancelled it", async () => {
    await client.placeOrder(order);
    loseFirstAnswer("CancelOrder");
    expect(await client.cancelOrder("test", "o-1")).toBe("already-gone");
    expect(venue.calls("CancelOrder")).toBe(2);
    expect(venue.books.get("test")?.orders.size).toBe(0);
  });
});

describe("NOT_FOUND: the order's is an answer, the book's is an error", () => {
  it("CancelOrder of an order the venue does not hold → already-gone", async () => {
    expect(await client.cancelOrder("test", "never-placed")).toBe("already-gone");
    expect(venue.calls("CancelOrder")).toBe(1);
  });

  it("GetOrder of an order the venue does not hold → gone", async () => {
    expect(await client.getOrder("test", "never-placed")).toEqual({ state: "gone" });
  });

  it.each([
    ["placeOrder", () => client.placeOrder({ ...order, book: "nope" })],
    ["cancelOrder", () => client.cancelOrder("nope", "o-1")],
    ["getOrder", () => client.getOrder("nope", "o-1")],
    ["getOrderDetails", () => client.getOrderDetails("nope", "o-1")],
    ["getOrderBookState", () => client.getOrderBookState("nope")],
  ])("%s on a missing book → book-not-found, not retried", async (_name, call) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "book-not-found", code: Status.NOT_FOUND });
    expect((error as Error).message).toContain("order book nope not found");
    expect(venue.received).toHaveLength(1);
  });

  it("getBook of a missing book → undefined", async () => {
    expect(await client.getBook("nope")).toBeUndefined();
  });
});

describe("answers are not retried", () => {
  it("the venue's INTERNAL 'nil order' for a zero quantity reaches it exactly once", async () => {
    // The raw client skips our validation, so this is the venue's own answer.
    const error = await client.raw
      .createOrder({ orderBookName: "test", orderId: "z", price: "100", quantity: "0" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: Status.INTERNAL,
      details: "order creation failed: nil order",
    });
    expect(venue.calls("CreateOrder")).toBe(1);
  });

  it("placeOrder maps INTERNAL to rejected with the venue's reason, one call", async () => {
    venue.before = () => {
      throw new ServerError(Status.INTERNAL, "order creation failed: nil order");
    };
    const error = await client.placeOrder(order).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rejected", code: Status.INTERNAL, outcomeUnknown: false });
    expect((error as Error).message).toContain("order creation failed: nil order");
    expect(venue.calls("CreateOrder")).toBe(1);
  });

  it("INVALID_ARGUMENT → rejected, one call", async () => {
    venue.before = () => {
      throw new ServerError(Status.INVALID_ARGUMENT, "invalid price: x");
    };
    await expect(client.placeOrder(order)).rejects.toMatchObject({ kind: "rejected" });
    expect(venue.calls("CreateOrder")).toBe(1);
  });

  it("UNAVAILABLE is retried up to maxAttempts, then reported", async () => {
    venue.before = () => {
      throw new ServerError(Status.UNAVAILABLE, "venue is draining");
    };
    const error = await client.placeOrder(order).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "unavailable",
      code: Status.UNAVAILABLE,
      outcomeUnknown: true,
    });
    expect((error as Error).message).toContain("venue is draining");
    expect(venue.calls("CreateOrder")).toBe(3);
    expect(rpcs.map((info) => info.attempt)).toEqual([1, 2, 3]);
  });
});

describe("client-side validation refuses what the venue would get wrong, unsent", () => {
  it.each([
    [{ quantity: "0" }, /quantity must be greater than zero, got "0"/],
    [{ price: "0" }, /price must be greater than zero/],
    [{ quantity: "-1" }, /quantity must be greater than zero/],
    [{ price: "0.0129" }, /price "0.0129" has more than 3 fractional digits/],
    [{ quantity: "0.0004" }, /more than 3 fractional digits/],
    [{ price: "1e5" }, /price "1e5" is not a decimal number/],
    [{ orderId: "" }, /orderId must be a non-empty string/],
    [{ book: "" }, /book must be a non-empty string/],
    [{ side: "hold" }, /side must be "buy" or "sell", got "hold"/],
  ])("%j", async (change, reason) => {
    const error = await client
      .placeOrder({ ...order, ...(change as object) } as typeof order)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rejected", method: "CreateOrder", outcomeUnknown: false });
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toMatch(/^CreateOrder not sent: /);
    expect(venue.received).toHaveLength(0);
  });

  it("an unparsable number carries the DecimalError as cause", async () => {
    const error = await client.placeOrder({ ...order, price: "abc" }).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(DecimalError);
  });

  it("sends the canonical form of an exact number", async () => {
    await client.placeOrder({ ...order, price: "+0100.5000", quantity: "1.000" });
    expect(venue.lastCall("CreateOrder")?.request).toMatchObject({
      price: "100.500",
      quantity: "1.000",
    });
  });

  it("bad per-call metadata is refused without showing its value", async () => {
    const error = await client
      .getBook("test", { metadata: { authorization: "Bearer sécret" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rejected" });
    expect((error as Error).message).toContain("authorization");
    expect((error as Error).message).not.toContain("sécret");
    expect(venue.received).toHaveLength(0);
  });
});
