// The conformance checks against the real Go server, when it is installed (see the root
// README: `go install github.com/erain9/matchingo/cmd/server@<version>` or
// MATCHINGO_SERVER_BIN). Without it, one line says so and how many checks did not run.
import { describe, expect, it } from "vitest";
import {
  findRealMatchingo,
  REAL_MATCHINGO_ENV,
  startRealMatchingo,
} from "../../src/real-matchingo.ts";
import { CHECKS, conformanceSuite } from "./suite.ts";

const lookup = findRealMatchingo();
const bin = lookup.bin;

if (bin) {
  conformanceSuite(`real Matchingo (${bin})`, () => startRealMatchingo(bin), {
    // Without Kafka every trading CreateOrder blocks while sarama gives up on the broker: at
    // least 750 ms (3 metadata retries, 250 ms apart) when localhost:9092 refuses at once,
    // far longer where connecting to it hangs.
    stallDeadlineMs: 200,
    stallBudgetMs: 90_000,
  });
} else {
  const notRun = CHECKS.length + 1;
  describe(`real Matchingo: not installed, ${notRun} checks not run (set ${REAL_MATCHINGO_ENV} or go install it)`, () => {
    it(`was looked for at: ${lookup.lookedAt.join(", ")}`, () => {
      console.log(`real Matchingo: not installed, ${notRun} checks not run`);
      expect(lookup.bin).toBeUndefined();
    });
  });
}
