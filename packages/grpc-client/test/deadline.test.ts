import { ClientError, createClientFactory, ServerError, Status } from "nice-grpc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OrderBookServiceDefinition } from "../src/gen/orderbook.ts";
import {
  createMatchingoClient,
  deadlineMiddleware,
  isRetryable,
  type MatchingoClient,
  retryMiddleware,
} from "../src/index.ts";
import { FakeVenue, type ReceivedCall } from "./support/fake-venue.ts";
import { startTestServer, type TestServer, waitFor } from "./support/test-server.ts";

let venue: FakeVenue;
let server: TestServer;
let clients: MatchingoClient[];

beforeEach(async () => {
  venue = new FakeVenue();
  server = await startTestServer(venue.implementation);
  clients = [];
  hung.length = 0;
});

afterEach(async () => {
  for (const client of clients) client.close();
  await server.close();
});

function connect(options: Partial<Parameters<typeof createMatchingoClient>[0]> = {}) {
  const client = createMatchingoClient({
    address: server.address,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  clients.push(client);
  return client;
}

/** Holds calls until the client gives up on them; records that the server saw the cancel. */
const hung: ReceivedCall[] = [];
function hangUntilCancelled(call: ReceivedCall): Promise<void> {
  hung.push(call);
  return new Promise((resolve) => call.context.signal.addEventListener("abort", () => resolve()));
}

/** The first call of `method` hangs; later ones are answered at once. */
function hangFirst(method: string) {
  let hungOnce = false;
  venue.before = async (call) => {
    if (call.method === method && !hungOnce) {
      hungOnce = true;
      await hangUntilCancelled(call);
    }
  };
}

describe("a deadline on every call", () => {
  it("a call the venue never answers fails with deadline-exceeded and is cancelled", async () => {
    const client = connect({ deadlineMs: 100 });
    venue.before = hangUntilCancelled;
    const error = await client.getBook("test").catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "deadline-exceeded", code: Status.DEADLINE_EXCEEDED });
    expect((error as Error).message).toContain("GetOrderBook deadline exceeded");
    // The server learns that the client gave up (RST_STREAM), so it can stop working on it.
    await waitFor(async () => expect(hung.at(-1)?.context.signal.aborted).toBe(true));
  });

  it("a read that timed out is retried within the budget", async () => {
    const client = connect({ deadlineMs: 5_000, attemptTimeoutMs: 100 });
    hangFirst("GetOrderBook");
    await expect(client.getBook("test")).resolves.toMatchObject({ name: "test" });
    expect(venue.calls("GetOrderBook")).toBe(2);
  });

  it("a CreateOrder that timed out is not retried: it may have been applied", async () => {
    const client = connect({ deadlineMs: 5_000, attemptTimeoutMs: 100 });
    hangFirst("CreateOrder");
    const error = await client
      .placeOrder({ book: "test", orderId: "o-1", side: "buy", price: "1", quantity: "1" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "deadline-exceeded", outcomeUnknown: true });
    expect(venue.calls("CreateOrder")).toBe(1);
  });

  it("a call's own deadlineMs overrides the client's", async () => {
    const client = connect({ deadlineMs: 60_000 });
    venue.before = hangUntilCancelled;
    await expect(client.getOrderBookState("test", 0, { deadlineMs: 50 })).rejects.toMatchObject({
      kind: "deadline-exceeded",
    });
  });

  it("the overall deadline bounds the retries of a read that keeps timing out", async () => {
    const client = connect({
      deadlineMs: 300,
      attemptTimeoutMs: 100,
      retry: { maxAttempts: 50, baseDelayMs: 1, maxDelayMs: 1 },
    });
    venue.before = hangUntilCancelled;
    await expect(client.getBook("test")).rejects.toMatchObject({ kind: "deadline-exceeded" });
    expect(venue.calls("GetOrderBook")).toBeLessThan(50);
  });
});

describe("the caller's AbortSignal", () => {
  it("stops a call in flight → aborted", async () => {
    const client = connect({ deadlineMs: 60_000 });
    const controller = new AbortController();
    venue.before = (call) => {
      controller.abort();
      return hangUntilCancelled(call);
    };
    const error = await client
      .getBook("test", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "aborted", method: "GetOrderBook" });
  });

  it("stops the back-off between retries (the test would time out otherwise)", async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    const client = connect({
      deadlineMs: 600_000,
      retry: { maxAttempts: 3, baseDelayMs: 300_000, maxDelayMs: 300_000 },
      // Abort a little after the first failure, when the client is waiting to retry.
      onRpc: (info) => {
        attempts.push(info.attempt);
        setTimeout(() => controller.abort(), 20);
      },
    });
    await server.close();
    const error = await client
      .getBook("test", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "aborted" });
    expect(attempts).toEqual([1]);
  });

  it("an already aborted signal sends nothing", async () => {
    const client = connect();
    await expect(client.getBook("test", { signal: AbortSignal.abort() })).rejects.toMatchObject({
      kind: "aborted",
    });
    expect(venue.received).toHaveLength(0);
  });
});

describe("retryMiddleware on its own", () => {
  it("makes no retry whose back-off would end after the deadline", async () => {
    await server.close();
    const attempts: number[] = [];
    const raw = createClientFactory()
      .use(deadlineMiddleware())
      .use(
        retryMiddleware({
          maxAttempts: 5,
          baseDelayMs: 10_000,
          maxDelayMs: 10_000,
          defaultDeadlineMs: 1_000,
          isRetryable,
          random: () => 0.5,
          onAttempt: (info) => attempts.push(info.attempt),
        }),
      )
      .create(OrderBookServiceDefinition, clients[0]?.channel ?? connect().channel);
    const error = await raw.getOrderBook({ name: "test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe(Status.UNAVAILABLE);
    expect(attempts).toEqual([1]);
  });

  it("retry: false makes a single attempt", async () => {
    const client = connect();
    venue.before = () => {
      throw new ServerError(Status.UNAVAILABLE, "down");
    };
    await expect(client.raw.getOrderBook({ name: "test" }, { retry: false })).rejects.toMatchObject(
      {
        code: Status.UNAVAILABLE,
      },
    );
    expect(venue.calls("GetOrderBook")).toBe(1);
    await expect(client.raw.getOrderBook({ name: "test" })).rejects.toMatchObject({
      code: Status.UNAVAILABLE,
    });
    expect(venue.calls("GetOrderBook")).toBe(1 + 3);
  });
});
