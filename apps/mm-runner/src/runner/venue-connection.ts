import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import type { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import { startVenue } from "@matchingo-mm/venue";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import type { BookDepth } from "../ops/index.ts";
import { bookDepth } from "../sandbox/depth.ts";
import { waitForVenue } from "../venue-reach.ts";
import type { Closers } from "./closers.ts";

export interface VenueConnection {
  readonly address: string;
  readonly embedded: boolean;
  /** The book by level, ours apart: the embedded venue only (read in-process), else undefined. */
  depth(book: string, ourAddress: string): BookDepth | undefined;
  /** The embedded venue's in-process trade stream (the sandbox). */
  readonly onDone?: (listener: (message: DoneMessage) => void) => () => void;
  /** The main thread's own client: retires journals, prepares books. */
  readonly client: MatchingoClient;
}

/** The configured venue, or an embedded one on 127.0.0.1 when none is (the sandbox). */
export async function connectVenue(
  config: RunnerConfig,
  logger: Logger,
  closers: Closers,
  signal: AbortSignal | undefined,
): Promise<VenueConnection> {
  let address = config.matchingoGrpcAddr;
  let depth: VenueConnection["depth"] = () => undefined;
  let onDone: VenueConnection["onDone"];
  if (address === undefined) {
    const venue = await startVenue({
      host: "127.0.0.1",
      port: 0,
      logger: logger.child({ component: "venue" }),
      // With brokers the sandbox's trades go through Kafka, as the real server's do.
      ...(config.kafkaBrokers && config.fillFeed === "kafka"
        ? { kafka: { brokers: config.kafkaBrokers, topic: config.kafkaTopic } }
        : {}),
    });
    onDone = config.fillFeed === "kafka" && config.kafkaBrokers ? undefined : venue.onDone;
    closers.push(() => venue.close());
    address = venue.address;
    depth = (book, ourAddress) => bookDepth(venue.liveOrders(book), ourAddress);
    logger.info(
      { venue: address },
      `embedded Matchingo venue on ${address} (no MATCHINGO_GRPC_ADDR); inspect it with any gRPC client, e.g. grpcurl -plaintext ${address} list`,
    );
  } else {
    logger.info(
      { venue: address, tls: config.matchingoTls },
      `using the Matchingo venue at ${address}`,
    );
  }
  const client = createMatchingoClient({
    address,
    tls: config.matchingoTls,
    metadata: config.matchingoMetadata,
    deadlineMs: config.matchingoDeadlineMs,
    retry: { maxAttempts: config.matchingoRetryAttempts },
    userAddress: config.runnerId,
  });
  closers.push(() => client.close());
  if (config.matchingoGrpcAddr !== undefined) {
    await waitForVenue({
      client,
      address,
      book: config.symbols[0]?.book ?? "test",
      timeoutMs: config.venueStartTimeoutMs,
      logger,
      ...(signal ? { signal } : {}),
    });
  }
  return {
    address,
    embedded: config.matchingoGrpcAddr === undefined,
    client,
    depth,
    ...(onDone ? { onDone } : {}),
  };
}
