/**
 * The two Kafka requests the local broker's owner needs, spoken over a plain socket so that no
 * Kafka client library is needed just to know the broker is up: a Metadata request (v4, which
 * may ask the broker to create the topic) answered with the topic's partition 0 led by a live
 * node means the broker serves producers of that topic. See the Kafka protocol guide
 * (kafka.apache.org/protocol), Metadata API key 3.
 */
import { Socket } from "node:net";

const METADATA = 3;
const METADATA_VERSION = 4;

function kafkaString(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function metadataRequest(topic: string, correlationId: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeInt16BE(METADATA, 0);
  header.writeInt16BE(METADATA_VERSION, 2);
  header.writeInt32BE(correlationId, 4);
  const topics = Buffer.alloc(4);
  topics.writeInt32BE(1);
  const body = Buffer.concat([
    header,
    kafkaString("matchingo-mm-probe"),
    topics,
    kafkaString(topic),
    Buffer.from([1]), // allow_auto_topic_creation
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** A cursor over a response body; throws RangeError past its end. */
class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  boolean(): boolean {
    return this.buffer.readInt8(this.offset++) !== 0;
  }
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const value = this.buffer.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  array<T>(item: () => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item());
    return items;
  }
}

export interface TopicState {
  /** The topic's error code (0: none; 5 LEADER_NOT_AVAILABLE while it is being created). */
  readonly errorCode: number;
  /** Partition 0's leader, or -1. */
  readonly leader: number;
}

function parseMetadata(body: Buffer, topic: string): TopicState {
  const reader = new Reader(body);
  reader.int32(); // correlation id
  reader.int32(); // throttle_time_ms
  reader.array(() => {
    reader.int32();
    reader.string();
    reader.int32();
    reader.string();
  });
  reader.string(); // cluster_id
  reader.int32(); // controller_id
  const topics = reader.array(() => {
    const errorCode = reader.int16();
    const name = reader.string();
    reader.boolean(); // is_internal
    const partitions = reader.array(() => {
      reader.int16();
      const index = reader.int32();
      const leader = reader.int32();
      reader.array(() => reader.int32()); // replicas
      reader.array(() => reader.int32()); // isr
      return { index, leader };
    });
    return { errorCode, name, leader: partitions.find((p) => p.index === 0)?.leader ?? -1 };
  });
  const state = topics.find((t) => t.name === topic);
  return state
    ? { errorCode: state.errorCode, leader: state.leader }
    : { errorCode: -1, leader: -1 };
}

/** One Metadata round trip to `host:port`; rejects if the broker does not answer in time. */
export function topicMetadata(
  host: string,
  port: number,
  topic: string,
  timeoutMs = 2_000,
): Promise<TopicState> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer from ${host}:${port}`)));
    socket.once("error", fail);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.destroy();
      try {
        resolve(parseMetadata(received.subarray(4, 4 + size), topic));
      } catch (error) {
        reject(new Error(`unreadable Metadata answer from ${host}:${port}`, { cause: error }));
      }
    });
    socket.connect(port, host, () => socket.write(metadataRequest(topic, 1)));
  });
}
