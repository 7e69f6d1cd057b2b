/**
 * A call whose stream is reset after the venue took it (a proxy on the way resets it, or
 * the bytes on the wire went bad and the server answered with RST_STREAM): grpc-js makes
 * up an INTERNAL status, which is not the venue's answer. A create met this way may rest
 * on the venue, so it must come back outcome-unknown (tracked, then checked), never as a
 * rejection (forgotten: an orphan on the venue).
 */
import { constants } from "node:http2";
import { ServerError, Status } from "nice-grpc";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMatchingoClient, type MatchingoClient } from "../src/index.ts";
import { FakeVenue, TEST_ORDER as order } from "./support/fake-venue.ts";
import { type StreamResetHop, startStreamResetHop } from "./support/stream-reset-hop.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

const CREATE = "/matchingo.api.OrderBookService/CreateOrder";

let venue: FakeVenue;
let server: TestServer;
let hop: StreamResetHop | undefined;
let client: MatchingoClient | undefined;

beforeEach(async () => {
  venue = new FakeVenue();
  server = await startTestServer(venue.implementation);
});
afterEach(async () => {
  client?.close();
  await hop?.close();
  await server.close();
});

async function through(
  shouldReset: (path: string) => boolean,
  rstCode?: number,
): Promise<MatchingoClient> {
  hop = await startStreamResetHop(server.address, shouldReset, rstCode);
  client = createMatchingoClient({
    address: hop.address,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  return client;
}

it.each([
  ["PROTOCOL_ERROR", constants.NGHTTP2_PROTOCOL_ERROR],
  ["INTERNAL_ERROR", constants.NGHTTP2_INTERNAL_ERROR],
  ["STREAM_CLOSED", constants.NGHTTP2_STREAM_CLOSED],
])(
  "a create that landed and whose stream was reset (%s) is outcome-unknown, not rejected",
  async (_name, rstCode) => {
    const gateway = await through((path) => path === CREATE, rstCode);
    const error = await gateway.placeOrder(order).catch((e: unknown) => e);
    expect(hop?.reset).toEqual([CREATE]);
    // It rests on the venue...
    expect(venue.books.get("test")?.orders.has("o-1")).toBe(true);
    // ...so the caller must keep it: outcome unknown, and nothing says the venue refused it.
    expect(error).toMatchObject({ name: "VenueError", outcomeUnknown: true, kind: "unknown" });
    expect((error as Error).message).toContain("Received RST_STREAM");
    expect((error as Error).message).not.toContain("rejected");
    // Not sent again: a write whose outcome is unknown is not repeated blindly.
    expect(venue.calls("CreateOrder")).toBe(1);
    // The stream is what broke, not the channel: the order is there to be found and cancelled.
    expect(await gateway.getOrder("test", "o-1")).toMatchObject({ state: "live" });
    expect(await gateway.cancelOrder("test", "o-1")).toBe("canceled");
  },
);

it("the venue's own INTERNAL through the same hop is still a rejection, sent once", async () => {
  const gateway = await through(() => false);
  venue.before = (call) => {
    if (call.method === "CreateOrder") {
      throw new ServerError(Status.INTERNAL, "order creation failed: nil order");
    }
  };
  const error = await gateway.placeOrder(order).catch((e: unknown) => e);
  expect(error).toMatchObject({ kind: "rejected", code: Status.INTERNAL, outcomeUnknown: false });
  expect((error as Error).message).toContain("order creation failed: nil order");
  expect(venue.calls("CreateOrder")).toBe(1);
  expect(hop?.reset).toEqual([]);
});
