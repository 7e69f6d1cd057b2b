/**
 * Matchingo's trade stream: the `DoneMessage`s the server publishes to Kafka after every
 * order that trades (see the root README, "Fills"). Decoding and checking them, and the
 * LZ4 codec kafkajs needs to read them.
 */
export type { ReadDone, StreamTrade } from "./done-message.ts";
export { DEFAULT_TRADE_TOPIC, encodeDoneMessage, readDoneMessage } from "./done-message.ts";
export { lz4Codec, registerLz4 } from "./lz4-codec.ts";
