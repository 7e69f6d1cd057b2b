/**
 * The typed RPC of the thread boundary over a real MessageChannel (structured clone both
 * ways): answers, errors with their kind, abort both ways, batching of one turn's calls and
 * `together` calls answered in one message.
 */
import { getEventListeners } from "node:events";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { VenueError } from "@matchingo-mm/core";
import { afterEach, expect, it } from "vitest";
import {
  type CallContext,
  exposeOnPort,
  portClient,
  type RpcMessage,
} from "../src/workers/wire/rpc.ts";

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** The two ends, and every RPC message each end received. */
function channel() {
  const c = new MessageChannel();
  channels.push(c);
  const atHost: RpcMessage[] = [];
  const atClient: RpcMessage[] = [];
  c.port2.on("message", (m: RpcMessage) => atHost.push(m));
  c.port1.on("message", (m: RpcMessage) => atClient.push(m));
  return { client: c.port1 as MessagePort, host: c.port2 as MessagePort, atHost, atClient };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

it("calls a handler with its request and answers its value, typed", async () => {
  const { client, host } = channel();
  const api = {
    add: (request: { a: number; b: number }) => request.a + request.b,
    echo: async (request: { text: string }) => ({ said: request.text }),
    nothing: () => undefined,
  };
  exposeOnPort(host, api);
  const { call } = portClient<typeof api>(client);
  await expect(call.add({ a: 2, b: 3 })).resolves.toBe(5);
  await expect(call.echo({ text: "hi" })).resolves.toEqual({ said: "hi" });
  await expect(call.nothing(undefined)).resolves.toBeUndefined();
});

it("an error comes back as core's error class with its kind and cause", async () => {
  const { client, host } = channel();
  const api = {
    fail: () => {
      throw new VenueError("CreateOrder venue unavailable", {
        kind: "unavailable",
        code: 14,
        method: "CreateOrder",
        cause: new Error("connection reset"),
      });
    },
    plain: async () => {
      throw new TypeError("bad argument");
    },
  };
  exposeOnPort(host, api);
  const { call } = portClient<typeof api>(client);
  const error = await call.fail(undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VenueError);
  expect(error).toMatchObject({ kind: "unavailable", code: 14, outcomeUnknown: true });
  expect((error as Error).cause).toMatchObject({ message: "connection reset" });
  await expect(call.plain(undefined)).rejects.toMatchObject({
    name: "TypeError",
    message: "bad argument",
  });
  // A method the other end does not expose fails, and says which.
  const unknown = (call as unknown as Record<string, (r: unknown) => Promise<unknown>>).nope;
  await expect(unknown!(1)).rejects.toThrow(/no such method over the port: nope/);
});

it("the caller's abort settles its call at once and aborts the handler's signal", async () => {
  const { client, host, atHost } = channel();
  let handlerSignal: AbortSignal | undefined;
  const api = {
    wait: (_request: undefined, { signal }: CallContext) => {
      handlerSignal = signal;
      return new Promise<never>(() => {});
    },
  };
  const exposed = exposeOnPort(host, api);
  const { call } = portClient<typeof api>(client, {
    abortError: (method, reason) =>
      new VenueError(`${method} aborted by the caller`, { kind: "aborted", cause: reason }),
  });
  const controller = new AbortController();
  const waiting = call.wait(undefined, { signal: controller.signal });
  await expect.poll(() => exposed.inFlight).toBe(1);
  controller.abort(new Error("stop"));
  await expect(waiting).rejects.toMatchObject({ name: "VenueError", kind: "aborted" });
  await expect.poll(() => handlerSignal?.aborted).toBe(true);
  expect(atHost.flatMap((m) => m.rpc.map((item) => item.kind))).toEqual(["call", "abort"]);

  // Already aborted: nothing is sent at all.
  await expect(call.wait(undefined, { signal: controller.signal })).rejects.toMatchObject({
    kind: "aborted",
  });
  // Aborted in the same turn it was made: taken back before it was sent.
  const later = new AbortController();
  const taken = call.wait(undefined, { signal: later.signal });
  later.abort(new Error("changed my mind"));
  await expect(taken).rejects.toMatchObject({ kind: "aborted" });
  await nextTurn();
  expect(atHost).toHaveLength(2);
});

it("the host's close aborts what it handles; the client's close rejects what waits", async () => {
  const { client, host } = channel();
  const signals: AbortSignal[] = [];
  const api = {
    wait: (_request: undefined, { signal }: CallContext) => {
      signals.push(signal);
      return new Promise<never>((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    },
  };
  const exposed = exposeOnPort(host, api);
  const first = portClient<typeof api>(client);
  const waiting = first.call.wait(undefined);
  await expect.poll(() => exposed.inFlight).toBe(1);
  exposed.close(new Error("shutting down"));
  expect(signals[0]?.aborted).toBe(true);
  await expect(waiting).rejects.toThrow("shutting down");
  await exposed.drained();

  const { client: c2, host: h2 } = channel();
  exposeOnPort(h2, api);
  const second = portClient<typeof api>(c2);
  const pending = second.call.wait(undefined);
  await expect.poll(() => signals.length).toBe(2);
  second.close((method) => new Error(`${method}: the worker is gone`));
  await expect(pending).rejects.toThrow("wait: the worker is gone");
  await expect(second.call.wait(undefined)).rejects.toThrow("wait: the worker is gone");
  expect(second.pending).toBe(0);
});

it("drained waits for every call being handled", async () => {
  const { client, host } = channel();
  let land!: () => void;
  const api = {
    slow: () =>
      new Promise<string>((resolve) => {
        land = () => resolve("landed");
      }),
  };
  const exposed = exposeOnPort(host, api);
  const { call } = portClient<typeof api>(client);
  const result = call.slow(undefined);
  await expect.poll(() => exposed.inFlight).toBe(1);
  let drained = false;
  const waiting = exposed.drained().then(() => {
    drained = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(drained).toBe(false);
  land();
  await waiting;
  await expect(result).resolves.toBe("landed");
  expect(exposed.inFlight).toBe(0);
  await exposed.drained();
});

it("one turn's calls and notifications cross as one message, in order", async () => {
  const { client, host, atHost } = channel();
  const seen: string[] = [];
  const api = {
    event: (request: string) => void seen.push(request),
    double: (request: number) => request * 2,
  };
  exposeOnPort(host, api);
  const { call, notify } = portClient<typeof api>(client);
  notify.event("a");
  const doubled = Promise.all([call.double(1), call.double(2)]);
  notify.event("b");
  await expect(doubled).resolves.toEqual([2, 4]);
  expect(seen).toEqual(["a", "b"]);
  expect(atHost).toHaveLength(1);
  expect(atHost[0]!.rpc.map((item) => (item.kind === "call" ? item.method : item.kind))).toEqual([
    "event",
    "double",
    "double",
    "event",
  ]);
});

it("together calls run at most N at a time and are answered in one message once all settled", async () => {
  const { client, host, atClient } = channel();
  let inFlight = 0;
  let most = 0;
  const api = {
    place: async (request: { n: number }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5 * (request.n % 3)));
      inFlight--;
      if (request.n === 4) throw new VenueError("rejected", { kind: "rejected" });
      return request.n;
    },
    price: () => "50000",
  };
  exposeOnPort(host, api, { togetherConcurrency: 2 });
  const { call } = portClient<typeof api>(client, { together: new Set(["place"]) });
  const places = [1, 2, 3, 4, 5].map((n) => call.place({ n }).catch((e: VenueError) => e.kind));
  const price = call.price(undefined);
  await expect(price).resolves.toBe("50000");
  await expect(Promise.all(places)).resolves.toEqual([1, 2, 3, "rejected", 5]);
  expect(most).toBe(2);
  // The price was answered on its own; the five places in one message.
  expect(atClient.map((m) => m.rpc.filter((item) => item.kind === "result").length)).toEqual([
    1, 5,
  ]);
});

it("a together call aborted while waiting for its lane never runs", async () => {
  const { client, host } = channel();
  const ran: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const api = {
    place: async (request: number, { signal }: CallContext) => {
      ran.push(request);
      await gate;
      if (signal.aborted) throw signal.reason;
      return request;
    },
  };
  exposeOnPort(host, api, { togetherConcurrency: 1 });
  const { call } = portClient<typeof api>(client, { together: new Set(["place"]) });
  const controller = new AbortController();
  const first = call.place(1);
  const second = call.place(2, { signal: controller.signal });
  await expect.poll(() => ran).toEqual([1]);
  controller.abort(new Error("gave up"));
  await expect(second).rejects.toThrow("gave up");
  await nextTurn();
  release();
  await expect(first).resolves.toBe(1);
  await nextTurn();
  expect(ran).toEqual([1]);
});

it("calls sharing one signal put one listener on it, and its abort settles them all", async () => {
  const { client, host } = channel();
  const api = {
    wait: (_request: undefined, { signal }: CallContext) =>
      new Promise<never>((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
      }),
  };
  const exposed = exposeOnPort(host, api);
  const { call } = portClient<typeof api>(client, { together: new Set(["wait"]) });
  const controller = new AbortController();
  const calls = Array.from({ length: 20 }, () =>
    call.wait(undefined, { signal: controller.signal }).catch((e: Error) => e.message),
  );
  expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
  await expect.poll(() => exposed.inFlight).toBe(20);
  controller.abort(new Error("deadline"));
  await expect(Promise.all(calls)).resolves.toEqual(Array(20).fill("deadline"));
  await expect.poll(() => exposed.inFlight).toBe(0);
});

it("togetherFirst starts the first calls a turn before the rest", async () => {
  const { client, host } = channel();
  const started: string[] = [];
  const api = {
    place: async (request: string) => {
      started.push(request);
      await new Promise((resolve) => setImmediate(resolve));
      started.push(`${request} done`);
      return request;
    },
  };
  exposeOnPort(host, api, { togetherConcurrency: 8, togetherFirst: 2 });
  const { call } = portClient<typeof api>(client, { together: new Set(["place"]) });
  await expect(Promise.all(["b1", "a1", "b2", "a2"].map((n) => call.place(n)))).resolves.toEqual([
    "b1",
    "a1",
    "b2",
    "a2",
  ]);
  // The innermost pair had a turn of their own before the others started.
  expect(started.slice(0, 2)).toEqual(["b1", "a1"]);
  expect(started.indexOf("b2")).toBeGreaterThan(1);
  expect(started).toHaveLength(8);
});
