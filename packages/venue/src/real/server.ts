/**
 * The real Matchingo server as a child process, deployed as its own docker-compose deploys it:
 * with a Kafka broker to publish its trades to. Its YAML config (`-config`, keys from the
 * source's config/config.go) puts gRPC and its HTTP page on free 127.0.0.1 ports and
 * `kafka.broker_addr` on the broker.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { delay } from "@matchingo-mm/core";
import { OrderBookServiceDefinition } from "@matchingo-mm/grpc-client/proto";
import { createChannel, createClient } from "nice-grpc";
import { buildRealMatchingo } from "./go-build.ts";
import { type KafkaBroker, startKafka, waitForBroker } from "./kafka.ts";
import { freePort, type Managed, spawnManaged } from "./processes.ts";

export const DEFAULT_TOPIC = "test-msg-queue";

export interface RealVenue {
  /** "127.0.0.1:PORT" for gRPC. */
  readonly address: string;
  /** The Kafka it publishes to ("127.0.0.1:PORT"), undefined when started without one. */
  readonly brokers: string | undefined;
  /** The topic of its DoneMessages. */
  readonly topic: string;
  /** The server's stdout and stderr so far, the last 32 MiB (it logs every request on stderr). */
  output(): string;
  /** Killed (SIGKILL) and started again, empty, on the same port; resolves once it answers. */
  restart(): Promise<void>;
  /** Stops the server (and a Kafka it started itself); idempotent. */
  close(): Promise<void>;
}

export interface RealVenueOptions {
  /** The broker to publish to; started (and closed with the venue) when omitted; `false`: none. */
  readonly kafka?: KafkaBroker | false;
  /** Default "test-msg-queue", the server's own default. */
  readonly topic?: string;
  readonly log?: (line: string) => void;
  /**
   * Every line the server prints (stdout and stderr, across restarts), as it prints it:
   * `output()` keeps only the last 32 MiB, so a long bench that counts requests takes this.
   */
  readonly onOutputLine?: (line: string) => void;
  /** How long to wait for ListOrderBooks to answer (default 30 s). */
  readonly readyTimeoutMs?: number;
}

function yaml(grpcPort: number, httpPort: number, brokerAddr: string, topic: string): string {
  return [
    "server:",
    `  grpc_addr: "127.0.0.1:${grpcPort}"`,
    `  http_addr: "127.0.0.1:${httpPort}"`,
    "  log_level: warn",
    "  log_format: json",
    "kafka:",
    `  broker_addr: ${JSON.stringify(brokerAddr)}`,
    `  topic: ${JSON.stringify(topic)}`,
    "",
  ].join("\n");
}

async function waitForGrpc(address: string, server: Managed, timeoutMs: number): Promise<void> {
  const channel = createChannel(address);
  const client = createClient(OrderBookServiceDefinition, channel);
  const giveUpAt = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (server.exited()) {
        throw new Error(
          `the real Matchingo exited before it was ready:\n${server.output().slice(-4000)}`,
        );
      }
      try {
        await client.listOrderBooks({}, { signal: AbortSignal.timeout(1_000) });
        return;
      } catch (error) {
        if (Date.now() > giveUpAt) {
          throw new Error(
            `the real Matchingo did not answer on ${address}:\n${server.output().slice(-4000)}`,
            {
              cause: error,
            },
          );
        }
        await delay(100);
      }
    }
  } finally {
    channel.close();
  }
}

export async function startRealVenue(options: RealVenueOptions = {}): Promise<RealVenue> {
  const log = options.log ?? (() => {});
  const topic = options.topic ?? DEFAULT_TOPIC;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const { server: bin } = await buildRealMatchingo({ log });

  let ownKafka: KafkaBroker | undefined;
  let kafka: KafkaBroker | undefined;
  if (options.kafka === undefined) {
    ownKafka = await startKafka({ log });
    kafka = ownKafka;
  } else if (options.kafka) {
    kafka = options.kafka;
  }
  const configDir = mkdtempSync(join(tmpdir(), "matchingo-server-"));
  let server: Managed | undefined;
  let earlier = ""; // Output of the runs before the last restart.
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Its graceful stop waits for clients to hang up; it keeps nothing worth waiting for.
      await server?.stop(2_000);
      await ownKafka?.close();
      rmSync(configDir, { recursive: true, force: true });
    })();
    return closing;
  };

  try {
    // Without a broker the server still needs an address: one where nothing listens refuses
    // at once (the default, localhost:9092, might be someone's real broker).
    const brokerAddr = kafka?.brokers ?? `127.0.0.1:${await freePort()}`;
    if (kafka) await waitForBroker(kafka.brokers, topic, { timeoutMs: 60_000 });
    const grpcPort = await freePort();
    const httpPort = await freePort();
    const config = join(configDir, "config.yaml");
    writeFileSync(config, yaml(grpcPort, httpPort, brokerAddr, topic));
    const address = `127.0.0.1:${grpcPort}`;

    const launch = async () => {
      const started = Date.now();
      server = spawnManaged(bin, ["-config", config], {
        onLine: options.onOutputLine,
        orphanedDirs: [configDir],
      });
      await waitForGrpc(address, server, readyTimeoutMs);
      log(`matchingo: answering on ${address} after ${Date.now() - started} ms`);
    };
    await launch();

    return {
      address,
      brokers: kafka?.brokers,
      topic,
      output: () => earlier + (server?.output() ?? ""),
      async restart() {
        if (closing) throw new Error("this real venue was closed");
        await server?.stop(0);
        earlier += server?.output() ?? "";
        await launch();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
