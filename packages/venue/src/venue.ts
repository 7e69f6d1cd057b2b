import { callListener } from "@matchingo-mm/core";
import { type DoneMessage, OrderBookServiceDefinition } from "@matchingo-mm/grpc-client/proto";
import { createServer } from "nice-grpc";
import { startDonePublisher } from "./done-publisher.ts";
import { Exchange } from "./exchange.ts";
import { checkLatency, latencyMiddleware } from "./latency.ts";
import { orderBookReflection } from "./reflection.ts";
import { createOrderBookService } from "./service.ts";
import { createTradeStall } from "./trade-stall.ts";
import type {
  VenueBookInfo,
  VenueEvent,
  VenueEventListener,
  VenueOrder,
  VenueTrade,
} from "./types.ts";

/** The subset of a pino logger the venue uses (a pino logger fits as is). */
export interface VenueLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface VenueOptions {
  /** Default "127.0.0.1". */
  readonly host?: string;
  /** Default 0: a free port is picked; read it from `venue.port`. */
  readonly port?: number;
  /** Delay before every rpc, in ms (default 0). Change it later with `setLatency`. */
  readonly latencyMs?: number;
  /** Logs startup and shutdown at info, every order event at debug. Default: silent. */
  readonly logger?: VenueLogger;
  /** Books that exist at start (default ["test"], as on Matchingo). */
  readonly initialBooks?: readonly string[];
  /** gRPC server reflection (default true, as on Matchingo). */
  readonly reflection?: boolean;
  /** The trade log keeps at least this many of the latest trades (default 10,000). */
  readonly maxTrades?: number;
  /** How long `close()` lets in-flight calls finish before cutting connections (default 500 ms). */
  readonly closeGraceMs?: number;
  /**
   * The first CreateOrder that trades answers this many ms late, whatever the client's
   * deadline, its order already matched and rested: the real server without Kafka does this
   * (default 0).
   */
  readonly firstTradeStallMs?: number;
  /** Every later CreateOrder that trades answers this many ms late (default 0). */
  readonly tradeStallMs?: number;
  /**
   * Publish a `DoneMessage` to this Kafka topic after every order that trades, as Matchingo
   * does (protobuf, LZ4). Default: none (`onDone` still hears them in process).
   */
  readonly kafka?: { readonly brokers: readonly string[]; readonly topic?: string };
}

export interface Venue {
  /** "host:port", ready for a gRPC client, e.g. "127.0.0.1:50051". */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** The current per-rpc latency in ms. */
  readonly latencyMs: number;
  /** Stops the server; connected clients get cut off after the grace period. Idempotent. */
  close(): Promise<void>;
  /** Every live (resting) order, of one book or of all books. */
  liveOrders(book?: string): VenueOrder[];
  /** The trade log, oldest first, of one book or of all books. */
  trades(book?: string): VenueTrade[];
  /** Trades kept in the log (without copying it). */
  tradeCount(): number;
  books(): VenueBookInfo[];
  setLatency(ms: number): void;
  /** Hears every event synchronously as it happens; returns an unsubscribe function. */
  onEvent(listener: VenueEventListener): () => void;
  /**
   * Hears, after every order that traded and before its CreateOrder answers, the
   * `DoneMessage` Matchingo publishes to Kafka (the in-process trade stream of the sandbox).
   */
  onDone(listener: (message: DoneMessage) => void): () => void;
  /** With `kafka`: resolves once every DoneMessage so far is on the topic. */
  published(): Promise<void>;
}

const DEFAULT_CLOSE_GRACE_MS = 500;

/** Starts an embedded Matchingo-compatible gRPC venue. */
export async function startVenue(options: VenueOptions = {}): Promise<Venue> {
  const host = options.host ?? "127.0.0.1";
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${requestedPort}`);
  }
  let latencyMs = checkLatency(options.latencyMs ?? 0);
  const logger = options.logger;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;

  const doneListeners = new Set<(message: DoneMessage) => void>();
  const publisher = options.kafka
    ? await startDonePublisher({
        brokers: options.kafka.brokers,
        ...(options.kafka.topic === undefined ? {} : { topic: options.kafka.topic }),
        onError: (error) => logger?.warn({ err: error }, "could not publish a DoneMessage"),
      })
    : undefined;
  const exchange = new Exchange({
    onDone(message) {
      publisher?.publish(message);
      for (const listener of doneListeners) {
        callListener(listener, message, (error) =>
          logger?.warn({ err: error }, "venue DoneMessage listener threw"),
        );
      }
    },
    ...(options.maxTrades === undefined ? {} : { maxTrades: options.maxTrades }),
    onListenerError: (error, event) =>
      logger?.warn({ err: error, event: event.type }, "venue event listener threw"),
  });
  if (logger && (logger.isLevelEnabled?.("debug") ?? true)) {
    // pino writes its own `time`; the event's goes out as `at` so no key appears twice.
    exchange.onEvent(({ time, ...event }) => logger.debug({ ...event, at: time }, event.type));
  }
  for (const name of options.initialBooks ?? ["test"]) exchange.createBook(name);

  const shutdown = new AbortController();
  const tradeStall = createTradeStall(
    { firstMs: options.firstTradeStallMs, everyMs: options.tradeStallMs },
    shutdown.signal,
  );
  const server = createServer();
  server
    .with(latencyMiddleware(() => latencyMs, shutdown.signal))
    .add(OrderBookServiceDefinition, createOrderBookService(exchange, tradeStall));
  if (options.reflection ?? true) {
    const reflection = orderBookReflection([OrderBookServiceDefinition.fullName]);
    server.add(reflection.definition, reflection.implementation);
  }

  const hostInAddress = host.includes(":") ? `[${host}]` : host;
  const port = await server.listen(`${hostInAddress}:${requestedPort}`);
  const address = `${hostInAddress}:${port}`;
  logger?.info({ address, latencyMs }, "matchingo venue listening");

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    shutdown.abort();
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, closeGraceMs);
    });
    await Promise.race([server.shutdown(), forced]);
    clearTimeout(timer);
    await publisher?.close().catch(() => undefined);
    logger?.info({ address }, "matchingo venue stopped");
  };

  return {
    address,
    host,
    port,
    get latencyMs() {
      return latencyMs;
    },
    close() {
      closing ??= close();
      return closing;
    },
    liveOrders: (book) => exchange.liveOrders(book),
    trades: (book) => exchange.trades(book),
    tradeCount: () => exchange.tradeCount(),
    books: () => exchange.bookInfos(),
    setLatency(ms) {
      latencyMs = checkLatency(ms);
    },
    onEvent: (listener: (event: VenueEvent) => void) => exchange.onEvent(listener),
    onDone(listener) {
      doneListeners.add(listener);
      return () => void doneListeners.delete(listener);
    },
    published: () => publisher?.flushed() ?? Promise.resolve(),
  };
}
