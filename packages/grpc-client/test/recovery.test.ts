import { Status } from "nice-grpc";
import { afterEach, describe, expect, it } from "vitest";
import { createMatchingoClient, type MatchingoClient } from "../src/index.ts";
import { FakeVenue } from "./support/fake-venue.ts";
import { startTestServer, type TestServer, waitFor } from "./support/test-server.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = await startTestServer(new FakeVenue().implementation);
  await server.close();
  return server.port;
}

function connect(port: number): MatchingoClient {
  // A long deadline: a call that waited for the venue instead of failing fast would
  // outlast the test's own timeout and fail it.
  const client = createMatchingoClient({ address: `127.0.0.1:${port}`, deadlineMs: 60_000 });
  cleanups.push(() => client.close());
  return client;
}

async function serve(port = 0): Promise<{ server: TestServer; venue: FakeVenue }> {
  const venue = new FakeVenue();
  const server = await startTestServer(venue.implementation, port);
  cleanups.push(() => server.close());
  return { server, venue };
}

describe("the venue is down", () => {
  it("not up at start: calls fail fast with a clear unavailable error", async () => {
    const client = connect(await closedPort());
    const error = await client.getBook("test").catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "VenueError",
      kind: "unavailable",
      code: Status.UNAVAILABLE,
      method: "GetOrderBook",
    });
    expect((error as Error).message).toMatch(
      /^GetOrderBook venue unavailable: .*\(gRPC UNAVAILABLE\)$/,
    );
    await expect(
      client.placeOrder({ book: "test", orderId: "o", side: "buy", price: "1", quantity: "1" }),
    ).rejects.toMatchObject({ kind: "unavailable", outcomeUnknown: true });
  });

  it("comes up later: the same client starts working", async () => {
    const port = await closedPort();
    const client = connect(port);
    await expect(client.getBook("test")).rejects.toMatchObject({ kind: "unavailable" });
    await serve(port);
    await expect(waitFor(() => client.getBook("test"))).resolves.toMatchObject({ name: "test" });
  });

  it("stopped and restarted on the same port mid-test: the same client recovers", async () => {
    const first = await serve();
    const port = first.server.port;
    const client = connect(port);
    await client.placeOrder({
      book: "test",
      orderId: "o-1",
      side: "buy",
      price: "1",
      quantity: "1",
    });
    expect(first.venue.calls("CreateOrder")).toBe(1);

    await first.server.close();
    await expect(client.getOrder("test", "o-1")).rejects.toMatchObject({ kind: "unavailable" });
    await expect(client.cancelOrder("test", "o-1")).rejects.toMatchObject({ kind: "unavailable" });

    const second = await serve(port);
    // A restarted venue has lost its resting orders: the order is gone, not an error.
    await expect(waitFor(() => client.getOrder("test", "o-1"))).resolves.toEqual({ state: "gone" });
    await client.placeOrder({
      book: "test",
      orderId: "o-2",
      side: "sell",
      price: "2",
      quantity: "1",
    });
    expect(second.venue.calls("CreateOrder")).toBe(1);
    expect(second.venue.books.get("test")?.orders.has("o-2")).toBe(true);
  });
});
