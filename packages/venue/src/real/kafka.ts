/**
 * A single-node Apache Kafka 4.1.1 broker (KRaft: the node is its own controller, no ZooKeeper)
 * on free 127.0.0.1 ports with a data folder of its own, for the real Matchingo to publish its
 * trades to, as its docker-compose deployment has one. The jars come from Maven Central through
 * `packages/venue/kafka/pom.xml`, copied once into `<cache>/kafka-<pom hash>/libs`.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { delay } from "@matchingo-mm/core";
import { topicMetadata } from "./kafka-wire.ts";
import { freePort, type Managed, run, spawnManaged, withLock } from "./processes.ts";
import { cacheRoot, repoRoot } from "./source.ts";

export const KAFKA_VERSION = "4.1.1";

export interface KafkaBroker {
  /** "127.0.0.1:PORT", what a client (and the server's YAML) is given. */
  readonly brokers: string;
  /** The broker down (same port and data kept), for outage tests. */
  stop(): Promise<void>;
  /** Up again on the same port with the same data; resolves once it answers. */
  start(): Promise<void>;
  /** Down for good, data folder removed; idempotent. */
  close(): Promise<void>;
  /** What the broker printed since it last started. */
  output(): string;
}

export interface KafkaOptions {
  readonly log?: (line: string) => void;
  /** How long to wait for the broker to answer (default 90 s: a JVM on 2 busy cores). */
  readonly readyTimeoutMs?: number;
}

function pomFile(): string {
  return join(repoRoot(), "packages", "venue", "kafka", "pom.xml");
}

/** `<cache>/kafka-<version>-<pom hash>/libs`: a new pom.xml resolves anew. */
export function kafkaJarsDir(): string {
  const hash = createHash("sha256").update(readFileSync(pomFile())).digest("hex").slice(0, 16);
  return join(cacheRoot(), `kafka-${KAFKA_VERSION}-${hash}`, "libs");
}

let jars: Promise<string> | undefined;

/** The folder of Kafka's jars, resolved with Maven the first time (about 15 s). */
export function resolveKafkaJars(log: (line: string) => void = () => {}): Promise<string> {
  jars ??= (async () => {
    const pom = pomFile();
    const libs = kafkaJarsDir();
    const dir = dirname(libs);
    if (existsSync(libs)) return libs;
    mkdirSync(cacheRoot(), { recursive: true });
    await withLock(`${dir}.lock`, async () => {
      if (existsSync(libs)) return;
      const out = mkdtempSync(join(cacheRoot(), ".kafka-"));
      try {
        const started = Date.now();
        log(`kafka ${KAFKA_VERSION}: resolving jars with Maven (${pom})`);
        await run("mvn", [
          "-B",
          "-q",
          "-f",
          pom,
          "dependency:copy-dependencies",
          `-DoutputDirectory=${join(out, "libs")}`,
        ]);
        log(`kafka ${KAFKA_VERSION}: jars resolved in ${Date.now() - started} ms`);
        rmSync(dir, { recursive: true, force: true });
        renameSync(out, dir);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
    return libs;
  })();
  jars.catch(() => {
    jars = undefined;
  });
  return jars;
}

function serverProperties(brokerPort: number, controllerPort: number, dataDir: string): string {
  return `${[
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${join(dataDir, "logs")}`,
    "num.partitions=1",
    "auto.create.topics.enable=true",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // A test broker on a shared 2-core machine: few threads, no cleaner.
    "num.network.threads=2",
    "num.io.threads=2",
    "background.threads=2",
    "log.cleaner.enable=false",
  ].join("\n")}\n`;
}

/** Small heap, serial GC: the broker carries a handful of messages per second here. */
const JVM_OPTIONS = [
  "-Xms64m",
  "-Xmx512m",
  "-XX:+UseSerialGC",
  "-Djava.awt.headless=true",
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
  "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
];

/** Waits until the broker serves Metadata; `topic` is created if missing. */
export async function waitForBroker(
  brokers: string,
  topic: string,
  options: { timeoutMs: number; process?: Managed },
): Promise<void> {
  const [host, port] = splitAddress(brokers);
  const giveUpAt = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    if (options.process?.exited()) {
      throw new Error(`Kafka exited before it answered:\n${options.process.output().slice(-4000)}`);
    }
    try {
      const state = await topicMetadata(host, port, topic);
      if (state.errorCode === 0 && state.leader >= 0) return;
      last = new Error(`topic ${topic}: error code ${state.errorCode}, leader ${state.leader}`);
    } catch (error) {
      last = error;
    }
    if (Date.now() > giveUpAt) {
      throw new Error(
        `Kafka did not answer on ${brokers} within ${options.timeoutMs} ms:\n${options.process?.output().slice(-4000) ?? ""}`,
        { cause: last },
      );
    }
    await delay(200);
  }
}

export function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

export async function startKafka(options: KafkaOptions = {}): Promise<KafkaBroker> {
  const log = options.log ?? (() => {});
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const libs = await resolveKafkaJars(log);
  const classpath = `${libs}/*`;
  const dataDir = mkdtempSync(join(tmpdir(), "matchingo-kafka-"));
  const brokerPort = await freePort();
  const controllerPort = await freePort();
  const brokers = `127.0.0.1:${brokerPort}`;
  const properties = join(dataDir, "server.properties");
  writeFileSync(properties, serverProperties(brokerPort, controllerPort, dataDir));
  const java = (main: string, args: string[]) => [
    ...JVM_OPTIONS,
    `-Dkafka.logs.dir=${join(dataDir, "app-logs")}`,
    "-cp",
    classpath,
    main,
    ...args,
  ];

  let broker: Managed | undefined;
  let closed = false;
  const start = async () => {
    if (closed) throw new Error("this Kafka broker was closed");
    if (broker && !broker.exited()) return;
    const started = Date.now();
    broker = spawnManaged("java", java("kafka.Kafka", [properties]), { orphanedDirs: [dataDir] });
    // The server's topic, created up front so its first trade does not wait for it.
    await waitForBroker(brokers, "test-msg-queue", { timeoutMs: readyTimeoutMs, process: broker });
    log(`kafka ${KAFKA_VERSION}: answering on ${brokers} after ${Date.now() - started} ms`);
  };
  const stop = async () => {
    await broker?.stop(15_000);
  };
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      closed = true;
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };

  try {
    // A KRaft node needs its storage formatted with a cluster id before its first start.
    // Base64url may begin with "-", which the tool's argument parser takes for an option.
    let clusterId = randomBytes(16).toString("base64url");
    while (clusterId.startsWith("-")) clusterId = randomBytes(16).toString("base64url");
    await run(
      "java",
      java("kafka.tools.StorageTool", ["format", "-t", clusterId, "-c", properties]),
      {
        timeoutMs: 120_000,
      },
    );
    await start();
  } catch (error) {
    await close();
    throw error;
  }
  return { brokers, start, stop, close, output: () => broker?.output() ?? "" };
}
