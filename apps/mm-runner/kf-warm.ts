import { startRealVenue, realVenueUnavailable, buildRealMatchingo } from "@matchingo-mm/venue/real";
console.log("unavailable:", realVenueUnavailable());
const t0 = Date.now();
await buildRealMatchingo({ log: (l) => console.log("build", l) });
console.log("built", Date.now() - t0);
const venue = await startRealVenue({ log: (l) => console.log("venue", l) });
console.log("up", venue.address, venue.brokers, venue.topic, Date.now() - t0);
await venue.close();
console.log("closed");
