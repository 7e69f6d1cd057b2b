import { Writable } from "node:stream";
import { OrderBookServiceDefinition } from "@matchingo-mm/grpc-client/proto";
import { type ClientError, createChannel, createClient, Status } from "nice-grpc";
import { ServerReflectionService } from "nice-grpc-server-reflection";
import reflectionMessages from "nice-grpc-server-reflection/lib/proto/grpc/reflection/v1alpha/reflection_pb.js";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startVenue, type Venue, type VenueEvent } from "../src/index.ts";
import {
  connect,
  expectStatus,
  limitOrder,
  startTestVenue,
  type TestVenue,
  waitFor,
} from "./helpers.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function track<T extends TestVenue | Venue>(started: Promise<T>): Promise<T> {
  const value = await started;
  cleanups.push(() => value.close());
  return value;
}

describe("startVenue", () => {
  it("listens on 127.0.0.1 and a free port by default, with the `test` book", async () => {
    const venue = await track(startVenue());
    expect(venue.address).toBe(`127.0.0.1:${venue.port}`);
    expect(venue.port).toBeGreaterThan(0);
    expect(venue.books()).toEqual([
      { name: "test", backendType: "memory", createdAt: expect.any(Date), orderCount: 0 },
    ]);
  });

  it("rejects bad options with an error naming the option and value", async () => {
    await expect(startVenue({ port: 70000 })).rejects.toThrow(
      "port must be an integer from 0 to 65535, got 70000",
    );
    await expect(startVenue({ latencyMs: -1 })).rejects.toThrow(
      "latencyMs must be a finite number >= 0, got -1",
    );
    const venue = await track(startVenue());
    expect(() => venue.setLatency(Number.NaN)).toThrow("latencyMs");
  });

  it("delays every rpc by its latency, and still carries out a call whose client gave up", async () => {
    const t = await track(startTestVenue({ latencyMs: 0 }));
    // Connected first: a 50 ms budget must not be spent setting up the connection, or the
    // request is never sent at all and there is nothing for the venue to carry out.
    await t.client.listOrderBooks({});
    t.venue.setLatency(300);
    expect(t.venue.latencyMs).toBe(300);
    // A client-side deadline: nice-grpc turns it into an abort of the call.
    const gaveUp = await t.client
      .createOrder(limitOrder("slow", "buy", "100", "1"), { signal: AbortSignal.timeout(50) })
      .then(
        () => false,
        // nice-grpc rethrows the signal's reason: here the TimeoutError of AbortSignal.timeout.
        (error: unknown) => error instanceof Error && error.name === "TimeoutError",
      );
    expect(gaveUp).toBe(true);
    expect(t.venue.liveOrders()).toEqual([]);
    // Outcome unknown for the client, yet the venue placed the order once the delay ran out.
    await waitFor(() => t.venue.liveOrders().some((o) => o.orderId === "slow"));
    t.venue.setLatency(0);
    const order = await t.client.getOrder({ orderBookName: "test", orderId: "slow" });
    expect(order.remainingQuantity).toBe("1.000");
  });

  it("delays many concurrent rpcs without piling listeners on the shutdown signal", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    cleanups.push(async () => void process.off("warning", onWarning));
    const t = await track(startTestVenue({ latencyMs: 30 }));
    // More calls in flight at once than EventTarget's default listener limit (10).
    const calls = Array.from({ length: 25 }, () => t.client.getOrderBook({ name: "test" }));
    await Promise.all(calls);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
    // The delay still ends promptly when the venue closes mid-wait.
    t.venue.setLatency(60_000);
    const waiting = Array.from({ length: 15 }, () =>
      t.client.getOrderBook({ name: "test" }).then(
        () => "answered",
        (error: ClientError) => Status[error.code],
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.venue.close();
    for (const outcome of await Promise.all(waiting)) {
      expect(["UNAVAILABLE", "CANCELLED"]).toContain(outcome);
    }
  });

  it("closes promptly with connected clients and a call in flight", async () => {
    const t = await startTestVenue({ closeGraceMs: 100 });
    await t.client.getOrderBook({ name: "test" }); // connected
    t.venue.setLatency(60_000);
    const inFlight = t.client.listOrderBooks({}).then(
      () => "answered",
      (error: ClientError) => Status[error.code],
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await t.venue.close();
    expect(["UNAVAILABLE", "CANCELLED"]).toContain(await inFlight);
    await t.close(); // idempotent
    const after = createChannel(t.venue.address);
    await expectStatus(connect(after).listOrderBooks({}), Status.UNAVAILABLE);
    after.close();
  });

  it("reports every book and order event, in order, until unsubscribed", async () => {
    const t = await track(startTestVenue());
    const events: VenueEvent[] = [];
    const unsubscribe = t.venue.onEvent((event) => events.push(event));
    await t.client.createOrderBook({ name: "ETH" });
    await t.client.createOrder(limitOrder("s", "sell", "10", "2", { orderBookName: "ETH" }));
    await t.client.createOrder(limitOrder("b", "buy", "10", "1", { orderBookName: "ETH" }));
    await t.client.cancelOrder({ orderBookName: "ETH", orderId: "s" });
    await t.client
      .createOrder(limitOrder("z", "buy", "0", "1", { orderBookName: "ETH" }))
      .catch(() => undefined);
    await t.client.deleteOrderBook({ name: "ETH" });
    unsubscribe();
    await t.client.createOrder(limitOrder("late", "buy", "1", "1"));
    expect(events.map((e) => e.type)).toEqual([
      "book-created",
      "order-created",
      "trade",
      "order-created",
      "order-canceled",
      "order-rejected",
      "book-deleted",
    ]);
    expect(events[1]).toMatchObject({ orderId: "s", status: "OPEN", restingQuantity: "2.000" });
    expect(events[3]).toMatchObject({ orderId: "b", status: "FILLED", restingQuantity: "0" });
    expect(events[4]).toMatchObject({ orderId: "s", remainingQuantity: "1.000" });
    expect(events[5]).toMatchObject({
      code: "INTERNAL",
      message: "order creation failed: nil order",
    });
  });

  it("logs one structured debug line per order event, and the address at info", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: "debug" }, sink);
    const t = await track(startTestVenue({ logger }));
    await t.client.createOrder(limitOrder("s", "sell", "10", "1"));
    await t.client.createOrder(limitOrder("b", "buy", "10", "1"));
    await waitFor(() => lines.length >= 5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[1]).toMatchObject({
      level: 30,
      address: t.venue.address,
      msg: "matchingo venue listening",
    });
    expect(lines.map((l) => [l.level, l.msg, l.orderId ?? l.takerOrderId ?? l.book])).toEqual([
      [20, "book-created", "test"],
      [30, "matchingo venue listening", undefined],
      [20, "order-created", "s"],
      [20, "trade", "b"],
      [20, "order-created", "b"],
    ]);
    expect(lines.every((l) => typeof l.time === "number")).toBe(true);
    expect(lines[3]).toMatchObject({
      at: expect.any(String),
      makerOrderId: "s",
      price: "10.000",
      quantity: "1.000",
    });
  });

  it("answers gRPC server reflection for matchingo.api.OrderBookService", async () => {
    const venue = await track(startVenue());
    const channel = createChannel(venue.address);
    cleanups.push(async () => channel.close());
    const reflection = createClient(ServerReflectionService, channel);
    async function* ask() {
      const listServices = new reflectionMessages.ServerReflectionRequest();
      listServices.setListServices("*");
      yield listServices;
      const describe = new reflectionMessages.ServerReflectionRequest();
      describe.setFileContainingSymbol("matchingo.api.OrderBookService");
      yield describe;
    }
    const answers = [];
    for await (const response of reflection.serverReflectionInfo(ask())) answers.push(response);
    const services = answers[0]!
      .getListServicesResponse()!
      .getServiceList()
      .map((s) => s.getName());
    expect(services).toContain(OrderBookServiceDefinition.fullName);
    const files = answers[1]!.getFileDescriptorResponse()!.getFileDescriptorProtoList();
    expect(files.length).toBeGreaterThan(0);
    expect(Buffer.from(files[0] as Uint8Array).toString("latin1")).toContain("CreateOrderBook");
  });
});
