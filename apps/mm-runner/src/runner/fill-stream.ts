import type { TradeFill } from "@matchingo-mm/core";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import { createEmbeddedStream } from "../fills/embedded-stream.ts";
import { orderRoutes } from "../fills/routes.ts";
import { createTradeStream, type TradeStream } from "../fills/trade-stream.ts";
import type { Ledger } from "../ledger/ledger.ts";
import type { VenueConnection } from "./venue-connection.ts";

/**
 * Where fills come from: the venue's Kafka topic (FILL_FEED=kafka), the embedded venue's
 * own stream in process (the sandbox without brokers), or nowhere (polls).
 */
export function buildFillStream(
  config: RunnerConfig,
  venue: VenueConnection,
  ledger: Ledger,
  logger: Logger,
  to: {
    deliver: (symbol: string, fill: TradeFill) => boolean;
    onLive: (live: boolean) => void;
  },
): TradeStream | undefined {
  const route = orderRoutes(config.symbols);
  const streamLogger = logger.child({ component: "trade-stream" });
  if (config.fillFeed === "kafka" && config.kafkaBrokers) {
    logger.info(
      { topic: config.kafkaTopic, brokers: config.kafkaBrokers.join(",") },
      `fills from the venue's trade stream on Kafka (${config.kafkaTopic}); polls reconcile`,
    );
    return createTradeStream({
      brokers: config.kafkaBrokers,
      topic: config.kafkaTopic,
      clientId: config.kafkaClientId,
      runnerId: config.runnerId,
      ledger,
      route,
      deliver: to.deliver,
      onLive: to.onLive,
      logger: streamLogger,
    });
  }
  if (venue.onDone) {
    logger.info("fills from the embedded venue's trade stream, in process; polls reconcile");
    return createEmbeddedStream({
      onDone: venue.onDone,
      route,
      deliver: to.deliver,
      logger: streamLogger,
    });
  }
  logger.info("fills learned by polling the venue (FILL_FEED=poll)");
  return undefined;
}

/** The stream as the supervisor's workers use it (`fills` of its options). */
export function streamForWorkers(stream: TradeStream) {
  return {
    live: () => stream.status().state === "live",
    settle: (key: string) => stream.settle(key),
    redeliver: (symbol: string) => stream.redeliver(symbol),
    readToEnd: (signal: AbortSignal) => stream.readToEnd(signal),
  };
}
