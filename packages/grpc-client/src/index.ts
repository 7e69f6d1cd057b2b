/**
 * @matchingo-mm/grpc-client: a nice-grpc client for Matchingo that implements core's
 * OrderGateway and survives a flaky venue. Everything public is exported from here;
 * the generated messages are at `@matchingo-mm/grpc-client/proto`.
 */
export type { PageRequest } from "./books.ts";
export type { PemInput, TlsOptions } from "./channel.ts";
export { DEFAULT_CHANNEL_OPTIONS } from "./channel.ts";
export type { MatchingoClient } from "./client.ts";
export { createMatchingoClient } from "./client.ts";
export type { DeadlineCallOptions } from "./middleware/deadline.ts";
export { deadlineMiddleware } from "./middleware/deadline.ts";
export { metadataMiddleware } from "./middleware/metadata.ts";
export type {
  AttemptInfo,
  RetryCallOptions,
  RetryMiddlewareOptions,
} from "./middleware/retry.ts";
export { retryMiddleware } from "./middleware/retry.ts";
export type { MatchingoClientOptions } from "./options.ts";
export type { OrderOperations } from "./orders.ts";
export type { RetryOptions } from "./retry-policy.ts";
export { backoffDelayMs, DEFAULT_RETRY, isRetryable } from "./retry-policy.ts";
export type { RawMatchingoClient } from "./transport.ts";
export type * from "./types.ts";
export { toVenueDecimal, VENUE_SCALE } from "./venue-decimal.ts";
