// The conformance checks against the real Go server, built from source by src/real (see the
// root README): deployed as its docker-compose deploys it, with a Kafka broker (one for the
// file), and without one for its trade stall. Where it cannot run, one line says so and how
// many checks did not run; in CI (CI=true) that is a failure.
import { afterAll, describe, expect, it } from "vitest";
import {
  type KafkaBroker,
  realVenueRequired,
  realVenueUnavailable,
  startKafka,
  startRealVenue,
} from "../../src/real/index.ts";
import { CHECKS, conformanceSuite, stallSuite } from "./suite.ts";

const unavailable = realVenueUnavailable();

if (!unavailable) {
  let kafka: Promise<KafkaBroker> | undefined;
  afterAll(async () => {
    await (await kafka)?.close();
  }, 60_000);

  conformanceSuite("real Matchingo with Kafka", async () => {
    kafka ??= startKafka();
    return startRealVenue({ kafka: await kafka });
  });

  stallSuite("real Matchingo without Kafka", () => startRealVenue({ kafka: false }), {
    // Without a broker every trading CreateOrder blocks while sarama gives up on it: at least
    // 750 ms (3 metadata retries, 250 ms apart) when the broker address refuses at once.
    stallDeadlineMs: 200,
    stallBudgetMs: 90_000,
  });
} else {
  // The first-trade check, every check, and the stall.
  const notRun = CHECKS.length + 2;
  describe(`real Matchingo: not installed, ${notRun} checks not run`, () => {
    it(unavailable, () => {
      console.log(`real Matchingo: not installed, ${notRun} checks not run: ${unavailable}`);
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}
