import type { RpcEvent } from "../ops/events.ts";

/**
 * Counts a worker's gRPC attempts by method and status code between two flushes, so that
 * they cross to the main thread as a handful of `rpc` events with a `count` once per cycle
 * instead of one message per attempt (a message costs a structured clone on each side and
 * a wake-up of the main thread: at 64 symbols that was ~300 messages a second).
 */
export interface RpcTally {
  add(method: string, code: string): void;
  /** The counts since the last flush (one event per method and code), and a fresh start. */
  flush(): RpcEvent[];
}

export function createRpcTally(): RpcTally {
  let counts = new Map<string, { method: string; code: string; count: number }>();
  return {
    add(method, code) {
      const key = `${method} ${code}`;
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { method, code, count: 1 });
    },
    flush() {
      if (counts.size === 0) return [];
      const events = [...counts.values()].map(
        ({ method, code, count }): RpcEvent => ({ type: "rpc", method, code, count }),
      );
      counts = new Map();
      return events;
    },
  };
}
