/**
 * One typed RPC over a MessagePort, for every crossing of the thread boundary.
 *
 * One end exposes an object of handlers (`exposeOnPort`), the other gets a typed client of
 * it (`portClient`): async functions of one plain-data request each, an `AbortSignal` of
 * the caller aborting the remote call too, errors coming back as errors with their kind
 * (wire-error.ts). Both ends of one port may expose and call at once (a worker exposes its
 * control, the main thread its venue, prices and event sink).
 *
 * Calls made in the same turn of the event loop cross as one message, and results that
 * settle in the same turn come back as one: a requote's phase of creates, the events and
 * the snapshot they cause, each crosses once. Calls marked `together` (a plan's steps) are
 * also answered together: the host runs them (at most `togetherConcurrency` at a time) and
 * answers with every outcome in one message once the last settled.
 */
import { fromWireError, toWireError, type WireError } from "./wire-error.ts";

/** The part of a `MessagePort`, `parentPort` or `Worker` the RPC uses. */
export interface RpcPort {
  postMessage(message: unknown): void;
  // biome-ignore lint/suspicious/noExplicitAny: matches the ports' own `(value: any) => void`.
  on(event: string, listener: (message: any) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as `on`.
  off(event: string, listener: (message: any) => void): unknown;
}

/** What a handler gets besides its request: aborted when the caller gives up or the host closes. */
export interface CallContext {
  readonly signal: AbortSignal;
}

/** The shape of an exposed interface: handlers of one request each. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** The typed client of `A`: each handler as an async function of its request. */
export type Client<A> = {
  readonly [K in keyof A]: A[K] extends (request: infer Q, context: CallContext) => infer R
    ? (request: Q, options?: CallOptions) => Promise<Awaited<R>>
    : never;
};

/** Fire-and-forget calls of `A`: no answer, no abort (events, ticks, logs). */
export type Notifier<A> = {
  readonly [K in keyof A]: A[K] extends (request: infer Q, context: CallContext) => unknown
    ? (request: Q) => void
    : never;
};

/** One call; `id` 0 is a notification (never answered). */
interface WireCall {
  readonly kind: "call";
  readonly id: number;
  readonly method: string;
  readonly request: unknown;
  /** Answered together with the other `together` calls of its message. */
  readonly together?: true;
}

interface WireAbort {
  readonly kind: "abort";
  readonly id: number;
}

type WireResult =
  | { readonly kind: "result"; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: "result"; readonly id: number; readonly ok: false; readonly error: WireError };

export type RpcItem = WireCall | WireAbort | WireResult;

/** What the RPC posts: one turn's calls, aborts and results of one end, in order. */
export interface RpcMessage {
  readonly rpc: readonly RpcItem[];
}

interface Outbox {
  add(item: RpcItem, onLost?: (error: unknown) => void): void;
  remove(item: RpcItem): boolean;
  flush(): void;
}

/**
 * Each port's one outbox: what either side of this end (its client and what it exposes)
 * posts in one turn goes as one message at the end of the turn, in the order it was posted
 * (a worker's snapshot goes before the control answer it belongs to).
 */
const outboxes = new WeakMap<RpcPort, Outbox>();

function outboxOf(port: RpcPort): Outbox {
  let outbox = outboxes.get(port);
  if (outbox) return outbox;
  let items: RpcItem[] = [];
  let lost: ((error: unknown) => void)[] = [];
  outbox = {
    add(item, onLost) {
      items.push(item);
      if (onLost) lost.push(onLost);
      // After every promise callback of this turn: the whole burst goes as one message.
      if (items.length === 1) process.nextTick(() => outbox?.flush());
    },
    remove(item) {
      const index = items.indexOf(item);
      if (index < 0) return false;
      items.splice(index, 1);
      return true;
    },
    flush() {
      if (items.length === 0) return;
      const message: RpcMessage = { rpc: items };
      const onLost = lost;
      items = [];
      lost = [];
      try {
        port.postMessage(message);
      } catch (error) {
        // The other end is gone: what this message asked is not answered.
        for (const fail of onLost) fail(error);
      }
    },
  };
  outboxes.set(port, outbox);
  return outbox;
}

export interface PortClientOptions<A> {
  /** The error a call aborted by its caller's signal rejects with (default: the reason). */
  readonly abortError?: (method: keyof A & string, reason: unknown) => Error;
  /** Methods whose calls of one turn are answered together (a plan's steps). */
  readonly together?: ReadonlySet<keyof A & string>;
}

export interface PortClient<A> {
  readonly call: Client<A>;
  readonly notify: Notifier<A>;
  /** Calls sent and not yet answered. */
  readonly pending: number;
  /** Rejects every waiting call with `error(method)` and stops listening; later calls reject too. */
  close(error: (method: string) => Error): void;
}

interface Waiting {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The typed client of what the other end of `port` exposes. */
export function portClient<A>(port: RpcPort, options: PortClientOptions<A> = {}): PortClient<A> {
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  let closed: ((method: string) => Error) | undefined;
  const outbox = outboxOf(port);
  const abortError = (method: string, reason: unknown): Error =>
    options.abortError?.(method as keyof A & string, reason) ??
    (reason instanceof Error ? reason : new Error(`${method} aborted`, { cause: reason }));

  /**
   * One abort listener per signal, however many calls share it (a plan's whole phase runs
   * on core's one deadline signal): no pile of listeners on it.
   */
  const watched = new Map<AbortSignal, { calls: Set<() => void>; fire: () => void }>();
  function watch(signal: AbortSignal, onAbort: () => void): () => void {
    let entry = watched.get(signal);
    if (!entry) {
      const calls = new Set<() => void>();
      const fire = () => {
        watched.delete(signal);
        for (const call of [...calls]) call();
      };
      entry = { calls, fire };
      watched.set(signal, entry);
      signal.addEventListener("abort", fire, { once: true });
    }
    const { calls, fire } = entry;
    calls.add(onAbort);
    return () => {
      calls.delete(onAbort);
      if (calls.size > 0 || watched.get(signal)?.calls !== calls) return;
      watched.delete(signal);
      signal.removeEventListener("abort", fire);
    };
  }

  const onMessage = (message: RpcMessage) => {
    if (!Array.isArray(message?.rpc)) return;
    for (const item of message.rpc) {
      if (item.kind !== "result") continue;
      const entry = waiting.get(item.id);
      if (!entry) continue; // aborted meanwhile: nobody waits for it
      if (item.ok) entry.resolve(item.value);
      else entry.reject(fromWireError(item.error));
    }
  };
  port.on("message", onMessage);

  function call(method: string, request: unknown, callOptions: CallOptions = {}): Promise<unknown> {
    const { signal } = callOptions;
    if (closed) return Promise.reject(closed(method));
    if (signal?.aborted) return Promise.reject(abortError(method, signal.reason));
    const id = nextId++;
    const wire: WireCall = {
      kind: "call",
      id,
      method,
      request,
      ...(options.together?.has(method as keyof A & string) ? { together: true as const } : {}),
    };
    return new Promise((resolve, reject) => {
      // Like a gRPC call, an aborted one settles at once; the other end is told to abort it
      // too (unless it was never sent), and whether it acted on it is unknown.
      const onAbort = () => {
        if (!waiting.delete(id)) return;
        if (!outbox.remove(wire)) outbox.add({ kind: "abort", id });
        reject(abortError(method, signal?.reason));
      };
      const unwatch = signal ? watch(signal, onAbort) : undefined;
      const done = () => {
        waiting.delete(id);
        unwatch?.();
      };
      const entry: Waiting = {
        method,
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      waiting.set(id, entry);
      outbox.add(wire, (error) => waiting.get(id)?.reject(error));
    });
  }

  const proxy = <T>(make: (method: string) => unknown) =>
    new Proxy({} as Record<string, unknown>, {
      get: (cache, method) => {
        if (typeof method !== "string") return undefined;
        cache[method] ??= make(method);
        return cache[method];
      },
    }) as T;

  return {
    call: proxy<Client<A>>(
      (method) => (request: unknown, callOptions?: CallOptions) =>
        call(method, request, callOptions),
    ),
    notify: proxy<Notifier<A>>((method) => (request: unknown) => {
      if (!closed) outbox.add({ kind: "call", id: 0, method, request });
    }),
    get pending() {
      return waiting.size;
    },
    close(error) {
      if (closed) return;
      closed = error;
      port.off("message", onMessage);
      for (const entry of [...waiting.values()]) entry.reject(error(entry.method));
    },
  };
}

export interface ExposeOptions {
  /** At most this many `together` calls of one message run at once (all of them). */
  readonly togetherConcurrency?: number;
  /**
   * The first this many `together` calls of a message start a turn before the rest, so
   * they leave first (a plan's steps come innermost first). Default 0: all at once.
   */
  readonly togetherFirst?: number;
  /** Only calls of these methods count in `inFlight` and `drained` (default: every one). */
  readonly tracked?: ReadonlySet<string>;
  /** A notification's handler failed (nobody waits for its answer). */
  readonly onNotifyError?: (method: string, error: unknown) => void;
}

export interface Exposed {
  /** Calls being handled (of the `tracked` methods). */
  readonly inFlight: number;
  /** Settles once every call being handled (of the `tracked` methods) has settled. */
  drained(): Promise<void>;
  /** Aborts every call being handled and stops taking new ones. */
  close(reason: unknown): void;
}

/** What a notification's handler gets: a signal that never aborts. */
const NOTIFICATION: CallContext = { signal: new AbortController().signal };

/** Handles the calls the other end of `port` makes on `handlers`, answering each. */
export function exposeOnPort<A extends object>(
  port: RpcPort,
  handlers: A,
  options: ExposeOptions = {},
): Exposed {
  const table = handlers as unknown as Readonly<
    Record<string, (request: unknown, context: CallContext) => unknown>
  >;
  const running = new Map<number, AbortController>();
  /** Calls of the tracked methods being handled. */
  const tracked = new Set<number>();
  /** `together` calls waiting for a lane. */
  const queued = new Set<number>();
  /** Aborted before they started (waiting for a lane of their `together` group). */
  const abortedEarly = new Set<number>();
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;
  const outbox = outboxOf(port);

  function settle(id: number): void {
    running.delete(id);
    tracked.delete(id);
    if (tracked.size === 0 && idle) {
      idle.resolve();
      idle = undefined;
    }
  }

  /** Runs one call; answers its result (never throws). */
  async function run(call: WireCall): Promise<WireResult> {
    queued.delete(call.id);
    if (abortedEarly.delete(call.id)) {
      // Its caller gave up before its turn came: never started (nobody reads this answer).
      const error = toWireError(new Error("aborted before it ran"));
      return { kind: "result", id: call.id, ok: false, error };
    }
    // A notification cannot be aborted: it shares one signal that never is (an
    // AbortController per event would cost more than the event).
    const controller = call.id === 0 ? undefined : new AbortController();
    if (controller) {
      running.set(call.id, controller);
      if (!options.tracked || options.tracked.has(call.method)) tracked.add(call.id);
    }
    try {
      const handler = Object.hasOwn(table, call.method) ? table[call.method] : undefined;
      if (!handler) throw new Error(`no such method over the port: ${call.method}`);
      const context = controller ? { signal: controller.signal } : NOTIFICATION;
      const value = await handler.call(handlers, call.request, context);
      return { kind: "result", id: call.id, ok: true, value };
    } catch (error) {
      if (call.id === 0) options.onNotifyError?.(call.method, error);
      return { kind: "result", id: call.id, ok: false, error: toWireError(error) };
    } finally {
      if (call.id !== 0) settle(call.id);
    }
  }

  async function runTogether(calls: WireCall[]): Promise<void> {
    for (const call of calls) queued.add(call.id);
    const results: WireResult[] = new Array(calls.length);
    let next = 0;
    const lane = async () => {
      while (next < calls.length) {
        const index = next++;
        results[index] = await run(calls[index] as WireCall);
      }
    };
    const lanes = Math.max(1, Math.min(options.togetherConcurrency ?? calls.length, calls.length));
    const first = Math.min(options.togetherFirst ?? 0, lanes);
    const started = Array.from({ length: first }, lane);
    // The first ones go out on their own (a plan's innermost orders): what the others cost
    // to start does not hold them back.
    if (first > 0 && first < lanes) await new Promise<void>((resolve) => setImmediate(resolve));
    started.push(...Array.from({ length: lanes - first }, lane));
    await Promise.all(started);
    for (const result of results) outbox.add(result);
  }

  let closed = false;
  const onMessage = (message: RpcMessage) => {
    if (closed || !Array.isArray(message?.rpc)) return;
    const together: WireCall[] = [];
    for (const item of message.rpc) {
      if (item.kind === "abort") {
        const controller = running.get(item.id);
        if (controller) controller.abort(new Error("the caller gave up on the call"));
        else if (queued.has(item.id)) abortedEarly.add(item.id);
      } else if (item.kind !== "call") continue;
      else if (item.id === 0) void run(item);
      else if (item.together) together.push(item);
      else void run(item).then((result) => outbox.add(result));
    }
    if (together.length > 0) void runTogether(together);
  };
  port.on("message", onMessage);

  return {
    get inFlight() {
      return tracked.size;
    },
    drained() {
      if (tracked.size === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => {
          resolve = done;
        });
        idle = { promise, resolve };
      }
      return idle.promise;
    },
    close(reason) {
      if (closed) return;
      closed = true;
      port.off("message", onMessage);
      for (const controller of running.values()) controller.abort(reason);
    },
  };
}
