// The conformance checks against the real Go server, built from source by src/real (see the
// root README). Where it cannot run, one line says so and how many checks did not run; in CI
// (CI=true) that is a failure.
import { describe, expect, it } from "vitest";
import { realVenueRequired, realVenueUnavailable, startRealVenue } from "../../src/real/index.ts";
import { CHECKS, conformanceSuite } from "./suite.ts";

const unavailable = realVenueUnavailable();

if (!unavailable) {
  conformanceSuite("real Matchingo (no Kafka)", () => startRealVenue({ kafka: false }), {
    // Without Kafka every trading CreateOrder blocks while sarama gives up on the broker: at
    // least 750 ms (3 metadata retries, 250 ms apart) when the broker address refuses at once.
    stallDeadlineMs: 200,
    stallBudgetMs: 90_000,
  });
} else {
  const notRun = CHECKS.length + 1;
  describe(`real Matchingo: not installed, ${notRun} checks not run`, () => {
    it(unavailable, () => {
      console.log(`real Matchingo: not installed, ${notRun} checks not run: ${unavailable}`);
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}
