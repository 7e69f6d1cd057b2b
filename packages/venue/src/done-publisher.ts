import type { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import {
  DEFAULT_TRADE_TOPIC,
  encodeDoneMessage,
  registerLz4,
} from "@matchingo-mm/grpc-client/trade-stream";
import type { Producer } from "kafkajs";
import kafkajs from "kafkajs";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { CompressionTypes, Kafka, logLevel } = kafkajs;

export interface DonePublisherOptions {
  readonly brokers: readonly string[];
  /** Default `test-msg-queue`, Matchingo's. */
  readonly topic?: string;
  readonly clientId?: string;
  /** A message could not be published (the broker is down, say): it is dropped, as Matchingo's. */
  readonly onError?: (error: unknown) => void;
}

export interface DonePublisher {
  /** Queues one message; messages go out in the order published. */
  publish(message: DoneMessage): void;
  /** Resolves once everything queued so far was sent (or failed). */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes the embedded venue's DoneMessages to Kafka as Matchingo does (protobuf bytes,
 * LZ4-compressed batches), so the runner's Kafka path can be tested without Go.
 */
export async function startDonePublisher(options: DonePublisherOptions): Promise<DonePublisher> {
  registerLz4();
  const topic = options.topic ?? DEFAULT_TRADE_TOPIC;
  const kafka = new Kafka({
    clientId: options.clientId ?? "matchingo-embedded-venue",
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100 },
  });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  let chain: Promise<void> = Promise.resolve();
  return {
    publish(message) {
      const value = Buffer.from(encodeDoneMessage(message));
      chain = chain.then(() =>
        producer.send({ topic, compression: CompressionTypes.LZ4, messages: [{ value }] }).then(
          () => undefined,
          (error: unknown) => options.onError?.(error),
        ),
      );
    },
    flushed: () => chain,
    async close() {
      await chain;
      await producer.disconnect();
    },
  };
}
