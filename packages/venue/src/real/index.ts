/**
 * The real Matchingo venue, for tests, the bench and a person (`pnpm venue:real`): the Go
 * server and the seed's Go market maker built from source (cached by source hash), a local
 * Kafka broker, and the server started against it.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { kafkaJarsDir } from "./kafka.ts";
import { cacheRoot, findMatchingoSource, hashSource, SOURCE_ENV } from "./source.ts";

export { type BuildOptions, buildRealMatchingo, type MatchingoBinaries } from "./go-build.ts";
export {
  KAFKA_VERSION,
  type KafkaBroker,
  type KafkaOptions,
  resolveKafkaJars,
  startKafka,
} from "./kafka.ts";
export { DEFAULT_TOPIC, type RealVenue, type RealVenueOptions, startRealVenue } from "./server.ts";
export { findMatchingoSource, SOURCE_ENV } from "./source.ts";

function answers(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the real venue cannot run here, or undefined when it can: the source, Go (unless the
 * binaries are cached), Java and Maven (unless Kafka's jars are cached). Tests call it: inside
 * CI a reason is a failure, outside CI a loud "N checks not run".
 */
export function realVenueUnavailable(): string | undefined {
  const missing: string[] = [];
  const source = findMatchingoSource();
  if (!source.dir)
    missing.push(`the Matchingo source (looked at ${source.lookedAt}; set ${SOURCE_ENV})`);
  const built =
    source.dir !== undefined &&
    existsSync(join(cacheRoot(), `matchingo-${hashSource(source.dir)}`, "server"));
  if (!built && !answers("go", ["version"])) missing.push("go (Go ≥ 1.23 on PATH)");
  if (!answers("java", ["-version"])) missing.push("java (Java 17 on PATH)");
  if (!existsSync(kafkaJarsDir()) && !answers("mvn", ["-v"])) missing.push("mvn (Maven on PATH)");
  return missing.length > 0 ? `missing ${missing.join(", ")}` : undefined;
}

/** Whether a missing real venue must fail the run (CI) rather than be reported as not run. */
export function realVenueRequired(
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return env.CI === "true" || env.CI === "1";
}
