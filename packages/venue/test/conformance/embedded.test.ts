// The conformance checks against our embedded venue: as it runs by default (trades answered at
// once, as the real server with its Kafka), and with the first-trade stall the real server has
// without Kafka.
import { startVenue } from "../../src/index.ts";
import { conformanceSuite, stallSuite } from "./suite.ts";

conformanceSuite("embedded venue", () => startVenue());

stallSuite(
  "embedded venue with a first-trade stall (as the real server without Kafka)",
  () => startVenue({ firstTradeStallMs: 1_500 }),
  { stallDeadlineMs: 300, stallBudgetMs: 10_000 },
);
