/**
 * `pnpm venue:real`: the real Matchingo with its Kafka, for a person. Builds (or finds cached)
 * the server, starts a local broker and the server against it, prints where they are and runs
 * until Ctrl-C (SIGINT) or SIGTERM, then stops both.
 */
import { parseArgs } from "node:util";
import {
  buildRealMatchingo,
  KAFKA_VERSION,
  realVenueUnavailable,
  resolveKafkaJars,
  startRealVenue,
} from "./index.ts";

const USAGE = `Usage: pnpm venue:real [--no-kafka] [--topic NAME] [--quiet] [--prepare]

Builds the real Matchingo server from MATCHINGO_SRC (default ../shared/third_party/matchingo,
cached by source hash in \${XDG_CACHE_HOME:-~/.cache}/matchingo-mm), starts a local Kafka
${KAFKA_VERSION} broker and the server against it on free 127.0.0.1 ports, prints their
addresses and runs until Ctrl-C, then stops both.

  --no-kafka    no broker: the server then stalls every trading CreateOrder (24 s the first)
  --topic NAME  the Kafka topic of its DoneMessages (default test-msg-queue)
  --quiet       no progress lines on stderr
  --prepare     only build the server and the seed's Go bot and resolve Kafka's jars (both
                cached), print where they are, and exit (what .ci/run does before the tests)
  -h, --help    this text`;

async function prepare(log: ((line: string) => void) | undefined): Promise<void> {
  const started = Date.now();
  try {
    const binaries = await buildRealMatchingo({ log });
    const jars = await resolveKafkaJars(log);
    console.log(`MATCHINGO_SERVER=${binaries.server}`);
    console.log(`MATCHINGO_MARKETMAKER=${binaries.marketmaker}`);
    console.log(`KAFKA_LIBS=${jars}`);
    log?.(`prepared in ${Date.now() - started} ms`);
  } catch (error) {
    // The message carries the tool's own output (go build's errors, Maven's); the stack adds nothing.
    console.error(`venue:real: could not prepare the real venue: ${(error as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  let values: {
    "no-kafka"?: boolean;
    topic?: string;
    quiet?: boolean;
    prepare?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        "no-kafka": { type: "boolean" },
        topic: { type: "string" },
        quiet: { type: "boolean" },
        prepare: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`venue:real: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const unavailable = realVenueUnavailable();
  if (unavailable) {
    console.error(`venue:real: cannot run the real venue here: ${unavailable}`);
    process.exit(1);
  }
  const log = values.quiet ? undefined : (line: string) => console.error(`venue:real: ${line}`);
  if (values.prepare) {
    await prepare(log);
    return;
  }
  const venue = await startRealVenue({
    kafka: values["no-kafka"] ? false : undefined,
    topic: values.topic,
    log,
  }).catch((error: unknown) => {
    console.error(`venue:real: failed to start: ${(error as Error).message}`);
    process.exit(1);
  });

  console.log(`MATCHINGO_GRPC_ADDR=${venue.address}`);
  console.log(`KAFKA_BROKERS=${venue.brokers ?? ""}`);
  console.log(`KAFKA_TOPIC=${venue.topic}`);
  console.error(
    // node, not pnpm: pnpm exits at once on Ctrl-C, before the runner has cancelled its orders.
    `venue:real: ready. Point the runner at it: MATCHINGO_GRPC_ADDR=${venue.address} node --import tsx apps/mm-runner/src/main.ts (offline: add PRICE_SOURCES=synthetic). Ctrl-C stops the server${venue.brokers ? " and Kafka" : ""}.`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return; // A second Ctrl-C while closing: the exit hook kills the rest.
    stopping = true;
    log?.(`${signal}: stopping`);
    venue.close().then(
      () => {
        log?.("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error("venue:real: shutdown failed", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
}

await main();
