import { performance } from "node:perf_hooks";
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";
import { type RealVenue, startRealVenue } from "@matchingo-mm/venue/real";
import { parseRequestLine, type VenueRequest } from "./analysis.ts";

/** The real venue (with Kafka) whose request log the bench reads, and a client of its own. */
export interface LoggedVenue {
  readonly venue: RealVenue;
  /** Every request the server logged, timed as its line arrived. */
  readonly requests: VenueRequest[];
  readonly client: MatchingoClient;
}

/** Starts the real venue for the peer and fills parts. */
export async function startLoggedVenue(
  userAddress: string,
  log: (line: string) => void,
): Promise<LoggedVenue> {
  const requests: VenueRequest[] = [];
  const venue = await startRealVenue({
    log,
    onOutputLine: (line) => {
      const request = parseRequestLine(line, performance.now());
      if (request) requests.push(request);
    },
  });
  const client = createMatchingoClient({
    address: venue.address,
    userAddress,
    // Idle between its calls: the Go server (grpc-go's default keepalive policy) closes a
    // connection that pings with no call in flight ("too_many_pings").
    channelOptions: { "grpc.keepalive_permit_without_calls": 0 },
  });
  return { venue, requests, client };
}
