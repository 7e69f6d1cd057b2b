import { address, boolean, integerAttempts, metadata, seconds } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The venue: where it is and how calls to it behave. */
export const VENUE_SETTINGS = {
  matchingoGrpcAddr: {
    schema: address,
    env: "MATCHINGO_GRPC_ADDR",
    scope: "runner",
    help: "host:port of the Matchingo gRPC server. Not set: start the embedded venue on 127.0.0.1 (sandbox).",
  },
  matchingoTls: {
    schema: boolean,
    env: "MATCHINGO_TLS",
    scope: "runner",
    default: "false",
    help: "Use TLS for the gRPC connection.",
  },
  matchingoMetadata: {
    schema: metadata,
    env: "MATCHINGO_METADATA",
    scope: "runner",
    secret: true,
    help: "gRPC metadata sent with every call, `key=value,key2=value2` (e.g. a token). Never logged.",
  },
  matchingoDeadlineSeconds: {
    schema: seconds,
    env: "MATCHINGO_DEADLINE_SECONDS",
    scope: "runner",
    default: "5",
    help: "Time budget of one gRPC call to the venue, retries included. A CreateOrder that runs out of it has an unknown outcome: the order stays tracked and is cancelled on the next cycle.",
  },
  matchingoRetryAttempts: {
    schema: integerAttempts,
    env: "MATCHINGO_RETRY_ATTEMPTS",
    scope: "runner",
    default: "3",
    help: "Attempts of one gRPC call when the venue is unavailable (reads also on a timeout). 1 turns retries off, which closes the window in which a lost CreateOrder answer, a full fill and a retry place a second order.",
  },
  venueStartTimeoutSeconds: {
    schema: seconds,
    env: "VENUE_START_TIMEOUT_SECONDS",
    scope: "runner",
    default: "30",
    help: "At start, how long to keep trying a MATCHINGO_GRPC_ADDR that does not answer (one log line per attempt) before exiting 1 with its address. Once running, an outage is retried for as long as it lasts.",
  },
} as const satisfies SettingTable;
