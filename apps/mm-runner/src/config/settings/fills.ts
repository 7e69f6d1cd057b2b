import { brokers, fillFeed, id, kafkaTopic } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** How fills are learned: the venue's trade stream or polls. */
export const FILL_SETTINGS = {
  fillFeed: {
    schema: fillFeed,
    env: "FILL_FEED",
    scope: "runner",
    help: "How fills are learned: `kafka`, the venue's trade stream (Matchingo's DoneMessages on KAFKA_TOPIC), with polls as a slow reconciliation and the fallback while the broker is down; `poll`: GetOrder polls only. Not set: `kafka` when KAFKA_BROKERS is set, else `poll` (the sandbox: the embedded venue's own stream).",
  },
  kafkaBrokers: {
    schema: brokers,
    env: "KAFKA_BROKERS",
    scope: "runner",
    help: "Comma list of host:port of the Kafka brokers the venue publishes its trades to (its `kafka.broker_addr`). Not set: no trade stream.",
  },
  kafkaTopic: {
    schema: kafkaTopic,
    env: "KAFKA_TOPIC",
    scope: "runner",
    default: "test-msg-queue",
    help: "The venue's trade topic (its `kafka.topic`; Matchingo's default).",
  },
  kafkaClientId: {
    schema: id,
    env: "KAFKA_CLIENT_ID",
    scope: "runner",
    default: "matchingo-mm",
    help: "Client id the runner gives Kafka (it shows in the broker's logs and quotas).",
  },
} as const satisfies SettingTable;
