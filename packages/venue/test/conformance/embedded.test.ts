// The conformance checks against our embedded venue, started with a first-trade stall as
// the real server has one without Kafka.
import { startVenue } from "../../src/index.ts";
import { conformanceSuite } from "./suite.ts";

conformanceSuite("embedded venue", () => startVenue({ firstTradeStallMs: 1_500 }), {
  stallDeadlineMs: 300,
  stallBudgetMs: 10_000,
});
