/** Why a stream frame, subscription or connection was refused. */
export type StreamErrorKind =
  /** Not JSON, or JSON of a shape the exchange does not send. */
  | "malformed"
  /** Well formed, but for a symbol or channel we did not subscribe to. */
  | "foreign"
  /** A price that is not a positive exact decimal. */
  | "invalid-price"
  /** The exchange refused a subscription, or sent an error message. */
  | "subscribe-failed"
  /** Numbered messages skipped a number: some were lost. */
  | "gap"
  /** No data and no heartbeat for `staleMs`: the connection is taken as dead. */
  | "stale"
  /** The socket closed or failed to open. */
  | "closed"
  /** The exchange announced it is going to close the connection. */
  | "server-shutdown";

export interface StreamErrorOptions {
  readonly kind: StreamErrorKind;
  readonly exchange: string;
  readonly symbol?: string;
  /** The start of the offending frame, for the log. */
  readonly frame?: string;
  readonly cause?: unknown;
}

/** A typed stream failure: reported as an event, never turned into a price. */
export class StreamError extends Error {
  override readonly name = "StreamError";
  readonly kind: StreamErrorKind;
  readonly exchange: string;
  readonly symbol: string | undefined;
  readonly frame: string | undefined;

  constructor(message: string, options: StreamErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.exchange = options.exchange;
    this.symbol = options.symbol;
    this.frame = options.frame === undefined ? undefined : options.frame.slice(0, 200);
  }
}
