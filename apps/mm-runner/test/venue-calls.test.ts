/**
 * A worker's venue calls, made by the main thread: the worker's gateway and the main
 * thread's venue API, joined by the RPC over a real MessageChannel (structured clone both
 * ways), over a fake of the shared client.
 */
import { MessageChannel } from "node:worker_threads";
import { type OrderIntent, VenueError } from "@matchingo-mm/core";
import type { RpcInfo } from "@matchingo-mm/grpc-client";
import { afterEach, expect, it } from "vitest";
import {
  createCallSlots,
  createVenueApi,
  type SharedVenue,
} from "../src/workers/host/venue-api.ts";
import {
  createThreadGateway,
  venueCallAborted,
  venueCallUnanswered,
} from "../src/workers/thread/gateway.ts";
import { type HostApi, PLAN_STEPS, VENUE_CALLS } from "../src/workers/wire/protocol.ts";
import { exposeOnPort, portClient, type RpcMessage } from "../src/workers/wire/rpc.ts";

const ORDER: OrderIntent = {
  book: "BTC-USDT",
  orderId: "mm-1-buy-1-1",
  side: "buy",
  price: "49975",
  quantity: "0.01",
};

interface Seen {
  readonly method: string;
  readonly args: unknown[];
  readonly signal?: AbortSignal;
  readonly userAddress?: string;
}

/** The shared client, answering from `behave`; every call is recorded with its options. */
function fakeVenue(
  behave: Partial<Record<keyof SharedVenue, (...args: unknown[]) => Promise<unknown>>>,
) {
  const seen: Seen[] = [];
  const make =
    (method: keyof SharedVenue & string) =>
    (...args: unknown[]) => {
      const options = args.at(-1) as {
        signal?: AbortSignal;
        userAddress?: string;
        onRpc?: (info: RpcInfo) => void;
      };
      seen.push({ method, args: args.slice(0, -1), ...options });
      options.onRpc?.({ method, code: 0, codeName: "OK", durationMs: 1, attempt: 1 });
      const answer = behave[method];
      return answer ? answer(...args) : Promise.reject(new Error(`${method} not expected`));
    };
  const venue = {
    placeOrder: make("placeOrder"),
    cancelOrder: make("cancelOrder"),
    getOrder: make("getOrder"),
    getBook: make("getBook"),
    ensureOrderBook: make("ensureOrderBook"),
  } as unknown as SharedVenue;
  return { venue, seen };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** The worker's end (`gateway`) and the main thread's (`host`), wired as the runner wires them. */
function connect(venue: SharedVenue) {
  const channel = new MessageChannel();
  channels.push(channel);
  const rpcs: RpcInfo[] = [];
  const mainThread = portClient<HostApi>(channel.port1, {
    together: PLAN_STEPS,
    abortError: venueCallAborted,
  });
  const gateway = createThreadGateway(mainThread.call);
  const api = createVenueApi({ venue, userAddress: "mm-1", onRpc: (info) => rpcs.push(info) });
  const host = exposeOnPort(channel.port2, api as Partial<HostApi>, { tracked: VENUE_CALLS });
  const received: string[] = [];
  channel.port2.on("message", (message: RpcMessage) => {
    for (const item of message.rpc) received.push(item.kind);
  });
  const close = (reason: unknown) => mainThread.close(() => venueCallUnanswered(reason));
  return { gateway, host, rpcs, received, close };
}

it("makes each call on the shared client with the worker's user address and answers it", async () => {
  const { venue, seen } = fakeVenue({
    placeOrder: async () => ({
      orderId: ORDER.orderId,
      status: "open",
      filledQuantity: "0",
      remainingQuantity: "0.01",
      alreadyPlaced: false,
    }),
    cancelOrder: async () => "already-gone",
    getOrder: async () => ({ state: "live", filledQuantity: "0.004", remainingQuantity: "0.006" }),
    getBook: async (book) => (book === "BTC-USDT" ? { name: "BTC-USDT", createdAt: 7 } : undefined),
    ensureOrderBook: async () => ({ created: true }),
  });
  const { gateway, rpcs } = connect(venue);

  await expect(gateway.placeOrder(ORDER)).resolves.toEqual({
    orderId: ORDER.orderId,
    status: "open",
    filledQuantity: "0",
    remainingQuantity: "0.01",
    alreadyPlaced: false,
  });
  await expect(gateway.cancelOrder("BTC-USDT", "x")).resolves.toBe("already-gone");
  await expect(gateway.getOrder("BTC-USDT", "y")).resolves.toEqual({
    state: "live",
    filledQuantity: "0.004",
    remainingQuantity: "0.006",
  });
  await expect(gateway.getBook("BTC-USDT")).resolves.toEqual({ name: "BTC-USDT", createdAt: 7 });
  await expect(gateway.getBook("nope")).resolves.toBeUndefined();
  await expect(gateway.ensureBook("BTC-USDT")).resolves.toBeUndefined();

  expect(seen.map(({ method, args }) => [method, ...args])).toEqual([
    ["placeOrder", ORDER],
    ["cancelOrder", "BTC-USDT", "x"],
    ["getOrder", "BTC-USDT", "y"],
    ["getBook", "BTC-USDT"],
    ["getBook", "nope"],
    ["ensureOrderBook", "BTC-USDT"],
  ]);
  // Only the create carries the market maker's id; every call reports its attempts.
  expect(seen.map((call) => call.userAddress)).toEqual(["mm-1", ...Array(5).fill(undefined)]);
  expect(rpcs.map((info) => info.method)).toEqual(seen.map((call) => call.method));
});

it("a failure comes back as core's VenueError with its kind, so the loop can act on it", async () => {
  const cause = new Error("connection reset");
  const { venue } = fakeVenue({
    placeOrder: async () => {
      throw new VenueError("CreateOrder venue unavailable", {
        kind: "unavailable",
        code: 14,
        method: "CreateOrder",
        cause,
      });
    },
    cancelOrder: async () => {
      throw new VenueError("CancelOrder rejected by the venue", { kind: "rejected", code: 3 });
    },
    getOrder: () => {
      throw new TypeError("a client that throws at once");
    },
  });
  const { gateway } = connect(venue);

  const unavailable = await gateway.placeOrder(ORDER).catch((error: unknown) => error);
  expect(unavailable).toBeInstanceOf(VenueError);
  expect(unavailable).toMatchObject({
    kind: "unavailable",
    code: 14,
    method: "CreateOrder",
    outcomeUnknown: true,
    message: "CreateOrder venue unavailable",
  });
  expect((unavailable as Error).cause).toMatchObject({ message: "connection reset" });

  const rejected = await gateway.cancelOrder("BTC-USDT", "x").catch((error: unknown) => error);
  expect(rejected).toMatchObject({ name: "VenueError", kind: "rejected", outcomeUnknown: false });

  const thrown = await gateway.getOrder("BTC-USDT", "x").catch((error: unknown) => error);
  expect(thrown).toMatchObject({ name: "TypeError", message: "a client that throws at once" });
});

it("an abort settles the worker's call at once as outcome-unknown and aborts the main thread's", async () => {
  let mainSignal: AbortSignal | undefined;
  const { venue } = fakeVenue({
    placeOrder: (_order, options) => {
      mainSignal = (options as { signal: AbortSignal }).signal;
      return new Promise((_resolve, reject) => {
        mainSignal!.addEventListener("abort", () => reject(mainSignal!.reason));
      });
    },
  });
  const { gateway, host, received } = connect(venue);
  const controller = new AbortController();
  const placing = gateway.placeOrder(ORDER, { signal: controller.signal });
  await expect.poll(() => host.inFlight).toBe(1);

  controller.abort(new Error("stop"));
  const error = await placing.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(VenueError);
  expect(error).toMatchObject({ kind: "aborted", method: "CreateOrder", outcomeUnknown: true });
  await expect.poll(() => mainSignal?.aborted).toBe(true);
  await host.drained();
  expect(host.inFlight).toBe(0);
  expect(received).toEqual(["call", "abort"]);

  // Already aborted: nothing is sent at all.
  await expect(gateway.getBook("BTC-USDT", { signal: controller.signal })).rejects.toMatchObject({
    kind: "aborted",
  });
  expect(received).toHaveLength(2);
});

it("drained waits for every call in flight, the way a dead worker's sweep must", async () => {
  let land!: () => void;
  const { venue } = fakeVenue({
    placeOrder: () =>
      new Promise((resolve) => {
        land = () =>
          resolve({
            orderId: ORDER.orderId,
            status: "open",
            filledQuantity: "0",
            remainingQuantity: "0.01",
            alreadyPlaced: false,
          });
      }),
  });
  const { gateway, host } = connect(venue);
  void gateway.placeOrder(ORDER);
  await expect.poll(() => host.inFlight).toBe(1);

  let drained = false;
  const waiting = host.drained().then(() => {
    drained = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(drained).toBe(false);
  land();
  await waiting;
  expect(host.inFlight).toBe(0);
  // Nothing in flight: at once.
  await host.drained();
});

it("close rejects the calls still waiting as outcome-unknown", async () => {
  const { venue } = fakeVenue({ cancelOrder: () => new Promise(() => {}) });
  const { gateway, host, close } = connect(venue);
  const cancelling = gateway.cancelOrder("BTC-USDT", "x");
  await expect.poll(() => host.inFlight).toBe(1);
  close(new Error("worker stopping"));
  await expect(cancelling).rejects.toMatchObject({ kind: "aborted", outcomeUnknown: true });
});

it("the process's call slots bound what is in flight across workers, first come first served", async () => {
  const slots = createCallSlots(2);
  let inFlight = 0;
  let most = 0;
  const order: number[] = [];
  const call = (n: number) => async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    order.push(n);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    return n;
  };
  const never = new AbortController();
  const gaveUp = new AbortController();
  const runs = [1, 2, 3].map((n) => slots.run(never.signal, call(n)));
  // Waiting for a slot when its caller gives up: never made.
  const abandoned = slots.run(gaveUp.signal, call(99));
  gaveUp.abort(new Error("gave up"));
  const last = slots.run(never.signal, call(4));
  await expect(abandoned).rejects.toThrow("gave up");
  await expect(Promise.all([...runs, last])).resolves.toEqual([1, 2, 3, 4]);
  expect(most).toBe(2);
  expect(order).toEqual([1, 2, 3, 4]);
});
