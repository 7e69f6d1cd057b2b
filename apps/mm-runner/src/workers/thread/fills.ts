import type { CallOptions, FillFeed, TradeFill } from "@matchingo-mm/core";

/**
 * A worker's `FillFeed`: the main thread reads the venue's trade stream and posts each
 * fill of this worker's orders; `fillStream` notifications say whether the stream is live.
 */
export interface ThreadFills extends FillFeed {
  /**
   * Hands a fill to core (whatever it booked of it has been posted when this returns)
   * and answers true; before the loop subscribes they wait (answered once handed), and
   * after it stopped listening it answers false (the main thread hands it to the next worker).
   */
  push(fill: TradeFill): boolean;
  /** Fills that waited for the loop and were handed to it since the last call. */
  takeHanded(): TradeFill[];
  setLive(live: boolean): void;
  readToEnd(options: CallOptions): Promise<void>;
}

/**
 * `toEnd` asks the main thread to read the stream to its end; its answer comes after the
 * fills it handed meanwhile (one port, in order), so they are booked when it resolves.
 */
export function createThreadFills(
  live: boolean,
  toEnd: (options: CallOptions) => Promise<unknown>,
): ThreadFills {
  const listeners = new Set<(fill: TradeFill) => void>();
  let isLive = live;
  let subscribed = false;
  let waiting: TradeFill[] = [];
  let handed: TradeFill[] = [];
  return {
    live: () => isLive,
    setLive(value) {
      isLive = value;
    },
    subscribe(_symbol, listener) {
      listeners.add(listener);
      if (!subscribed) {
        subscribed = true;
        for (const fill of waiting) listener(fill);
        handed = waiting;
        waiting = [];
      }
      return () => void listeners.delete(listener);
    },
    push(fill) {
      if (!subscribed) {
        waiting.push(fill);
        return false;
      }
      if (listeners.size === 0) return false;
      for (const listener of listeners) listener(fill);
      return true;
    },
    async readToEnd(options) {
      // The main thread says why when it cannot (and the next start books the rest);
      // an abort is the shutdown deadline, not an error of the stop.
      await toEnd(options).catch(() => undefined);
    },
    takeHanded() {
      const taken = handed;
      handed = [];
      return taken;
    },
  };
}
