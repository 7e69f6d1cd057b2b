/**
 * The venue's trade stream on Kafka, read on the main thread: each DoneMessage's trades
 * whose order id is one of ours go to that symbol's worker, whose core books them; the
 * ledger keeps where to resume (see stream-positions.ts), never the consumer group's
 * commits, so a restart replays from the oldest fill not yet booked and the ledger's
 * keys keep a replayed fill from being booked twice.
 */
import { randomUUID } from "node:crypto";
import { delay, type TradeFill } from "@matchingo-mm/core";
import { readDoneMessage, registerLz4 } from "@matchingo-mm/grpc-client/trade-stream";
import type { Consumer, EachBatchPayload } from "kafkajs";
import kafkajs from "kafkajs";
import type { Logger } from "pino";
import type { Ledger } from "../ledger/ledger.ts";
import type { FillStreamStatus } from "./fill-stream-status.ts";
import { HandedFills } from "./handed-fills.ts";
import { createStreamPositions } from "./stream-positions.ts";
import { createTopicEnds, untilAborted } from "./topic-ends.ts";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { Kafka, logLevel } = kafkajs;

export interface TradeStreamOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
  /** Names the consumer group (with a per-start suffix: no commits are kept in it). */
  readonly runnerId: string;
  readonly ledger: Pick<Ledger, "hasStreamKey" | "streamPositions" | "setStreamPosition">;
  /** The symbol whose worker placed this order id, or undefined when it is not ours. */
  readonly route: (orderId: string) => string | undefined;
  /** Hands a fill to the symbol's worker; false when none runs now (handed again at `redeliver`). */
  readonly deliver: (symbol: string, fill: TradeFill) => boolean;
  /** The stream went live or down (polls stand in while down). Called on changes only. */
  readonly onLive: (live: boolean, detail?: string) => void;
  /** A message that is not a DoneMessage we can read: skipped. */
  readonly onGarbage?: (where: { partition: number; offset: string; problem: string }) => void;
  readonly logger: Logger;
  /** No fetch answered for this long: down. Default 3000. */
  readonly downAfterMs?: number;
  readonly now?: () => number;
}

export interface TradeStream {
  /** Connects (retrying in the background until it can); never throws. */
  start(): void;
  /** A worker's core has seen this fill (booked or not): the resume point may pass it. */
  settle(key: string): void;
  /** A symbol's worker (re)started: hands it again the fills its predecessor did not book. */
  redeliver(symbol: string): void;
  /**
   * Resolves once every message on the topic when called has been read and its fills
   * handed out, or at once when the stream is not live; gives up (with a warning) when
   * `signal` aborts. Never rejects.
   */
  readToEnd(signal: AbortSignal): Promise<void>;
  status(): FillStreamStatus;
  stop(): Promise<void>;
}

export function createTradeStream(options: TradeStreamOptions): TradeStream {
  const { topic, ledger, logger } = options;
  const now = options.now ?? Date.now;
  const downAfterMs = options.downAfterMs ?? 3_000;
  const positions = createStreamPositions();
  const handed = new HandedFills(options.deliver);
  const dirty = new Set<number>();
  const high = new Map<number, bigint>();
  let state: FillStreamStatus["state"] = "connecting";
  let since = now();
  let detail: string | undefined;
  let lastFetchAt: number | undefined;
  /** A rebalance began (and has not ended with a join): fetches pause meanwhile. */
  let rebalancingSince: number | undefined;
  let garbage = 0;
  let outages = 0;
  let stopped = false;
  let consumer: Consumer | undefined;
  let watch: NodeJS.Timeout | undefined;
  let flush: NodeJS.Timeout | undefined;

  registerLz4();
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { initialRetryTime: 250, maxRetryTime: 2_000, retries: 5 },
  });

  function setState(next: FillStreamStatus["state"], why?: string): void {
    if (next === state) return;
    const was = state;
    state = next;
    since = now();
    detail = next === "live" ? undefined : why;
    if (next === "down") {
      outages++;
      logger.warn(
        { topic, brokers: options.brokers.join(","), reason: why },
        `the trade stream is down (${why}): fills are polled until it is back`,
      );
      options.onLive(false, why);
    } else if (next === "live") {
      if (was === "down") {
        logger.info(
          { topic, by: why },
          "the trade stream is back: reading on from the ledger's offsets",
        );
      } else logger.info({ topic }, "the trade stream is live: fills are booked as they happen");
      options.onLive(true);
    }
  }

  /** Writes where each changed partition resumes (batched: a few writes a second at most). */
  function persist(): void {
    flush = undefined;
    for (const partition of dirty) {
      const at = positions.resumeAt(partition);
      if (at === undefined) continue;
      try {
        ledger.setStreamPosition(topic, partition, at.toString());
      } catch (error) {
        logger.error({ err: error, partition }, "could not record where the trade stream resumes");
      }
    }
    dirty.clear();
  }
  const touch = (partition: number) => {
    dirty.add(partition);
    flush ??= setTimeout(persist, 100);
  };

  function handleMessage(partition: number, offset: string, value: Buffer | null): void {
    const at = BigInt(offset);
    const start = positions.next(partition);
    // Read before where we resume (a fetch that raced our seek): booked already.
    if (start !== undefined && at < start) return;
    const read = readDoneMessage(value ?? new Uint8Array());
    const keys: string[] = [];
    if (!read.ok) {
      garbage++;
      logger.warn(
        { topic, partition, offset, problem: read.problem },
        `skipped a message on the trade stream that is not a DoneMessage we can read: ${read.problem}`,
      );
      options.onGarbage?.({ partition, offset, problem: read.problem });
    } else {
      const receivedAt = now();
      for (const trade of read.trades) {
        const symbol = options.route(trade.orderId);
        if (symbol === undefined) continue;
        // Named by what it is, not where it sits: a message the producers sent twice (at
        // two offsets) is the same trade. Our order ids are unique; the taker's order id
        // names the match that made it.
        const key = `${topic}/${read.message.orderId}/${trade.orderId}/${trade.index}`;
        if (handed.has(key) || ledger.hasStreamKey(key)) continue;
        keys.push(key);
        handed.hand(symbol, trade, key, receivedAt);
      }
    }
    positions.read(partition, at, keys);
    touch(partition);
  }

  async function eachBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload) {
    high.set(batch.partition, BigInt(batch.highWatermark));
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      handleMessage(batch.partition, message.offset, message.value);
    }
    await heartbeat();
  }

  async function connect(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }).catch(() => false);
      const ends = await admin.fetchTopicOffsets(topic);
      const stored = ledger.streamPositions(topic);
      for (const { partition, high: end, low } of ends) {
        const from = stored.get(partition);
        if (from === undefined) {
          // A first start: the fills of this runner are the ones from now on.
          positions.start(partition, BigInt(end));
          ledger.setStreamPosition(topic, partition, end);
        } else {
          if (BigInt(from) < BigInt(low)) {
            logger.error(
              { topic, partition, from, low },
              "the trade stream lost messages the ledger had not read (retention): polls reconcile",
            );
          }
          positions.start(partition, BigInt(from));
        }
        high.set(partition, BigInt(end));
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const groupId = `${options.clientId}-${options.runnerId}-${randomUUID().slice(0, 8)}`;
    const made = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: {
        initialRetryTime: 250,
        maxRetryTime: 2_000,
        retries: 5,
        // Keep trying while the broker is away: the runner polls meanwhile.
        restartOnFailure: async () => !stopped,
      },
    });
    consumer = made;
    // Proof the broker answers: a heartbeat it accepted (every second) or a fetch that
    // brought messages. (An empty FETCH event also comes while the broker is away.)
    const contact = (by: string) => {
      lastFetchAt = now();
      if (state !== "live") setState("live", by);
    };
    made.on(made.events.HEARTBEAT, () => contact("heartbeat"));
    made.on(made.events.FETCH, (event) => {
      if (event.payload.numberOfBatches > 0) contact("fetch");
    });
    made.on(made.events.REBALANCING, () => {
      rebalancingSince ??= now();
    });
    made.on(made.events.GROUP_JOIN, () => {
      rebalancingSince = undefined;
      contact("group-join");
      // Every (re)join starts each partition where the ledger says, never at a commit.
      for (const partition of positions.partitions()) {
        const at = positions.resumeAt(partition);
        if (at !== undefined) made.seek({ topic, partition, offset: at.toString() });
      }
    });
    made.on(made.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (state === "live") setState("down", error.message);
      // kafkajs gives up on an error it takes as final: start over, from the ledger.
      if (!restart && !stopped) {
        logger.info({ err: error }, "the trade stream's consumer stopped; connecting anew");
        void made.disconnect().catch(() => undefined);
        if (consumer === made) consumer = undefined;
        setTimeout(() => void keepConnecting(), 1_000);
      }
    });
    await made.connect();
    await made.subscribe({ topic, fromBeginning: true });
    await made.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch });
  }

  const topicEnds = createTopicEnds(
    () => kafka.admin({ retry: { retries: 1, initialRetryTime: 100 } }),
    topic,
  );

  const readUpTo = (ends: Map<number, bigint>) =>
    [...ends].every(([partition, end]) => (positions.next(partition) ?? -1n) >= end);

  async function readToEnd(signal: AbortSignal): Promise<void> {
    if (stopped || state !== "live") return;
    const started = now();
    try {
      const ends = await untilAborted(topicEnds.next(), signal);
      while (!readUpTo(ends)) {
        if (state !== "live") throw new Error(`the stream went ${state}`);
        await delay(10, { signal });
      }
    } catch (error) {
      logger.warn(
        { topic, err: error, waitedMs: now() - started, lag: status().lag },
        "the trade stream was not read to its end before the stop: the next start books what is left on it",
      );
    }
  }

  async function keepConnecting(): Promise<void> {
    let backoff = 500;
    while (!stopped) {
      try {
        await connect();
        return;
      } catch (error) {
        if (stopped) return;
        const why = (error as Error).message;
        if (state === "connecting") setState("down", why);
        else if (state === "down") detail = why;
        await consumer?.disconnect().catch(() => undefined);
        consumer = undefined;
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  function status(): FillStreamStatus {
    const lastOffset: Record<string, string> = {};
    let lag = 0n;
    for (const partition of positions.partitions()) {
      const next = positions.next(partition);
      if (next !== undefined && next > 0n) lastOffset[String(partition)] = String(next - 1n);
      const end = high.get(partition);
      if (end !== undefined && next !== undefined && end > next) lag += end - next;
    }
    return {
      mode: "kafka",
      state,
      since,
      ...(detail === undefined ? {} : { detail }),
      topic,
      lastOffset,
      lag: Number(lag),
      garbage,
      pending: positions.pending,
      outages,
    };
  }

  return {
    start() {
      void keepConnecting();
      watch = setInterval(() => {
        // A rebalance (the broker just came back, say) pauses fetches for a few seconds
        // without anything being wrong: it is given longer before the stream counts as down.
        const allowed =
          rebalancingSince === undefined ? downAfterMs : Math.max(downAfterMs, 15_000);
        const quiet =
          lastFetchAt === undefined ? 0 : now() - Math.max(lastFetchAt, rebalancingSince ?? 0);
        if (state === "live" && quiet > allowed) {
          setState("down", `no answer from the broker for ${quiet} ms`);
        }
        // Joining the consumer group takes a few seconds of its own at start.
        if (state === "connecting" && now() - since > Math.max(downAfterMs, 10_000)) {
          setState("down", "cannot reach the broker");
        }
      }, 250);
      watch.unref();
    },
    settle(key) {
      handed.settle(key);
      const partition = positions.settle(key);
      if (partition !== undefined) touch(partition);
    },
    redeliver(symbol) {
      for (const key of handed.redeliver(symbol, (key) => ledger.hasStreamKey(key))) {
        this.settle(key);
      }
    },
    readToEnd,
    status,
    async stop() {
      stopped = true;
      if (watch) clearInterval(watch);
      if (flush) clearTimeout(flush);
      persist();
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
