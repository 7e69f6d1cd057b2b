import type { Admin } from "kafkajs";

/**
 * Where each partition of a topic ends, looked up on demand. A caller gets a lookup that
 * began after its call (one already under way may have started before a trade the caller
 * needs); callers that arrive while one runs share the next, so the stopping workers of a
 * runner make one or two lookups, not one each.
 */
export interface TopicEnds {
  next(): Promise<Map<number, bigint>>;
}

/**
 * `admin` makes a fresh admin client per lookup (connected, used, disconnected): lookups
 * happen at stops only, and a broker that does not answer at once is already being
 * noticed as down, so it should try once quickly rather than hold a stop.
 */
export function createTopicEnds(admin: () => Admin, topic: string): TopicEnds {
  let wanted: Array<{
    resolve: (ends: Map<number, bigint>) => void;
    reject: (error: unknown) => void;
  }> = [];
  let looking = false;

  async function lookUp(): Promise<void> {
    looking = true;
    while (wanted.length > 0) {
      const waiting = wanted;
      wanted = [];
      const client = admin();
      try {
        await client.connect();
        const offsets = await client.fetchTopicOffsets(topic);
        const ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)] as const));
        for (const w of waiting) w.resolve(ends);
      } catch (error) {
        for (const w of waiting) w.reject(error);
      } finally {
        await client.disconnect().catch(() => undefined);
      }
    }
    looking = false;
  }

  return {
    next() {
      const ends = new Promise<Map<number, bigint>>((resolve, reject) => {
        wanted.push({ resolve, reject });
      });
      if (!looking) void lookUp();
      return ends;
    },
  };
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
