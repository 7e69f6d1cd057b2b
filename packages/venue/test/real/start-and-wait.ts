// A process that starts the real venue with its own Kafka, prints where they are as one JSON
// line and waits to be killed: real-venue.test.ts kills it with SIGKILL and checks that
// nothing it started survives.
import { startRealVenue } from "../../src/real/index.ts";

const venue = await startRealVenue();
console.log(JSON.stringify({ address: venue.address, brokers: venue.brokers }));
setInterval(() => {}, 60_000);
