/** Typed failures that cross core's ports. Adapters throw these; the loop acts on `kind`. */

export type VenueErrorKind =
  /** Could not reach the venue (connection refused, reset, unavailable). */
  | "unavailable"
  | "deadline-exceeded"
  | "book-not-found"
  /** An order with this id is already live (CreateOrder). */
  | "already-exists"
  /** The venue refused the request: bad argument, or its INTERNAL "nil order" quirk. */
  | "rejected"
  /** Our own AbortSignal stopped the call. */
  | "aborted"
  | "unknown";

/** Kinds after which a create or cancel may or may not have happened on the venue. */
const OUTCOME_UNKNOWN: ReadonlySet<VenueErrorKind> = new Set([
  "unavailable",
  "deadline-exceeded",
  "aborted",
  "unknown",
]);

export interface VenueErrorOptions {
  readonly kind: VenueErrorKind;
  /** The gRPC status code, when the failure came from gRPC. */
  readonly code?: number;
  /** The rpc, e.g. `CreateOrder`. */
  readonly method?: string;
  readonly cause?: unknown;
}

export class VenueError extends Error {
  override readonly name = "VenueError";
  readonly kind: VenueErrorKind;
  readonly code: number | undefined;
  readonly method: string | undefined;

  constructor(message: string, options: VenueErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.code = options.code;
    this.method = options.method;
  }

  /** True when the call may have taken effect although it failed: track, then verify. */
  get outcomeUnknown(): boolean {
    return OUTCOME_UNKNOWN.has(this.kind);
  }
}

export type PriceErrorKind =
  /** Connection refused, DNS failure, reset. */
  | "unreachable"
  | "timeout"
  /** An HTTP status that is not success (5xx, 4xx other than rate limits). */
  | "http-status"
  /** 429 or 418; `retryAfterMs` says how long the source must be left alone. */
  | "rate-limited"
  /** Not JSON, truncated JSON, or JSON of another shape. */
  | "bad-payload"
  | "unknown-symbol"
  /** Non-numeric, zero, negative or non-finite price. */
  | "invalid-price"
  /** The answer is for another symbol than the one asked. */
  | "wrong-symbol"
  | "stale"
  /** A jump beyond the guard from the last accepted price, not confirmed. */
  | "jump"
  /** The source is cooling down after failures or a rate limit; it was not asked. */
  | "cooling-down"
  /** Every source in a chain failed; `cause` is an AggregateError of theirs. */
  | "all-sources-failed"
  /**
   * A usable price not trusted (yet): a first price no second source agrees on and not
   * yet held long enough, sources that disagree, a price outside the configured band, or
   * a jump no second source confirms. The message says which; quotes are pulled at once.
   */
  | "untrusted"
  | "aborted";

export interface PriceErrorOptions {
  readonly kind: PriceErrorKind;
  readonly source?: string;
  readonly symbol?: string;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly cause?: unknown;
}

export class PriceError extends Error {
  override readonly name = "PriceError";
  readonly kind: PriceErrorKind;
  readonly source: string | undefined;
  readonly symbol: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: PriceErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.source = options.source;
    this.symbol = options.symbol;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}
