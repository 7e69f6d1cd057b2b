/**
 * The trade stream read to its end at a stop (what a stopping worker waits for after its
 * last cancel), against a real Kafka 4.1.1 broker: what was on the topic when it was
 * asked has been handed out when it answers.
 */
import type { TradeFill } from "@matchingo-mm/core";
import { DoneMessage } from "@matchingo-mm/grpc-client/proto";
import { encodeDoneMessage, registerLz4 } from "@matchingo-mm/grpc-client/trade-stream";
import { waitFor } from "@matchingo-mm/testkit";
import {
  type KafkaBroker,
  realVenueRequired,
  realVenueUnavailable,
  startKafka,
} from "@matchingo-mm/venue/real";
import kafkajs from "kafkajs";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTradeStream, type TradeStream } from "../src/fills/trade-stream.ts";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { CompressionTypes, Kafka, logLevel } = kafkajs;

const unavailable = realVenueUnavailable();

/** The ledger's part the stream uses, in memory. */
function memoryLedger() {
  const positions = new Map<string, Map<number, string>>();
  return {
    hasStreamKey: () => false,
    streamPositions: (topic: string) => new Map(positions.get(topic)),
    setStreamPosition(topic: string, partition: number, next: string) {
      const of = positions.get(topic) ?? new Map<number, string>();
      of.set(partition, next);
      positions.set(topic, of);
    },
  };
}

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

if (!unavailable) {
  describe("the trade stream read to its end", () => {
    let kafka: KafkaBroker;
    let topicNumber = 0;
    const streams: TradeStream[] = [];
    beforeAll(async () => {
      registerLz4();
      kafka = await startKafka();
    }, 120_000);
    afterAll(async () => {
      for (const stream of streams) await stream.stop();
      await kafka?.close();
    });

    async function liveStream() {
      const topic = `to-end-${process.pid}-${topicNumber++}`;
      const delivered: TradeFill[] = [];
      const { logger, lines } = recordingLogger();
      const stream = createTradeStream({
        brokers: [kafka.brokers],
        topic,
        clientId: "to-end-test",
        runnerId: "mm-01",
        ledger: memoryLedger(),
        route: (orderId) => (orderId.startsWith("ours-") ? "BTC-USDT" : undefined),
        deliver: (_symbol, fill) => {
          delivered.push(fill);
          return true;
        },
        onLive: () => {},
        logger,
      });
      streams.push(stream);
      stream.start();
      await waitFor(() => stream.status().state === "live", 60_000, "the stream live");
      return { stream, topic, delivered, lines };
    }

    async function publish(topic: string, count: number) {
      const producer = new Kafka({
        clientId: "to-end-producer",
        brokers: [kafka.brokers],
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      const messages = Array.from({ length: count }, (_, i) => ({
        value: Buffer.from(
          encodeDoneMessage(
            DoneMessage.fromPartial({
              orderId: `taker-${i}`,
              executedQuantity: "0.001",
              trades: [
                { orderId: `taker-${i}`, role: "TAKER", price: "50000", quantity: "0.001" },
                { orderId: `ours-${i}`, role: "MAKER", price: "50000", quantity: "0.001" },
              ],
            }),
          ),
        ),
      }));
      await producer.send({ topic, compression: CompressionTypes.LZ4, messages });
      await producer.disconnect();
    }

    it("answers once every message on the topic when asked has been handed out", async () => {
      const { stream, topic, delivered } = await liveStream();
      await publish(topic, 300);
      // Asked at once: the consumer has not fetched them yet.
      const handedWhenAsked = delivered.length;
      await stream.readToEnd(AbortSignal.timeout(30_000));
      expect(handedWhenAsked).toBeLessThan(300);
      expect(delivered).toHaveLength(300);
      expect(new Set(delivered.map((fill) => fill.orderId)).size).toBe(300);
    }, 120_000);

    it("gives up when its signal aborts, saying so, and never rejects", async () => {
      const { stream, topic, lines } = await liveStream();
      await publish(topic, 50);
      const aborted = AbortSignal.abort(new Error("shutdown deadline passed"));
      await expect(stream.readToEnd(aborted)).resolves.toBeUndefined();
      expect(lines.map((line) => line.msg)).toContainEqual(
        expect.stringMatching(/was not read to its end before the stop/),
      );
    }, 120_000);

    it("answers at once when the stream is not live (polls and the next start stand in)", async () => {
      const { logger } = recordingLogger();
      const stream = createTradeStream({
        brokers: ["127.0.0.1:9"],
        topic: "never-read",
        clientId: "to-end-test",
        runnerId: "mm-01",
        ledger: memoryLedger(),
        route: () => undefined,
        deliver: () => true,
        onLive: () => {},
        logger,
      });
      const signal = new AbortController().signal;
      await expect(stream.readToEnd(signal)).resolves.toBeUndefined();
    });
  });
} else {
  describe("the trade stream read to its end: Kafka not installed", () => {
    it(unavailable, () => {
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}
