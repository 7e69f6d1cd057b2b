import {
  PriceError,
  type PriceErrorKind,
  VenueError,
  type VenueErrorKind,
} from "@matchingo-mm/core";

/**
 * An error as it crosses a thread boundary: structured clone keeps neither the class nor
 * the typed fields of our errors, so they travel as plain data.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly kind?: string;
  readonly source?: string;
  readonly symbol?: string;
  readonly code?: number;
  readonly method?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly stack?: string;
  readonly cause?: WireError;
}

export function toWireError(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const typed = error as Error & Partial<Record<string, unknown>>;
  const wire: Record<string, unknown> = { name: error.name, message: error.message };
  for (const key of ["kind", "source", "symbol", "method"] as const) {
    if (typeof typed[key] === "string") wire[key] = typed[key];
  }
  for (const key of ["code", "status", "retryAfterMs"] as const) {
    if (typeof typed[key] === "number") wire[key] = typed[key];
  }
  if (error.stack) wire.stack = error.stack;
  if (error.cause !== undefined && depth < 4) wire.cause = toWireError(error.cause, depth + 1);
  return wire as unknown as WireError;
}

/**
 * An Error again: core's `PriceError` and `VenueError` as their classes (a worker's loop
 * acts on their `kind`), anything else for pino's `err` serializer (message, stack, cause).
 */
export function fromWireError(wire: WireError): Error {
  const options = wire.cause ? { cause: fromWireError(wire.cause) } : {};
  const error =
    wire.name === "PriceError"
      ? new PriceError(wire.message, {
          kind: (wire.kind ?? "all-sources-failed") as PriceErrorKind,
          ...(wire.source === undefined ? {} : { source: wire.source }),
          ...(wire.symbol === undefined ? {} : { symbol: wire.symbol }),
          ...(wire.status === undefined ? {} : { status: wire.status }),
          ...(wire.retryAfterMs === undefined ? {} : { retryAfterMs: wire.retryAfterMs }),
          ...options,
        })
      : wire.name === "VenueError"
        ? new VenueError(wire.message, {
            // An unknown kind is read as "unknown": outcome unknown, the safe reading.
            kind: (VENUE_KINDS.has(wire.kind ?? "") ? wire.kind : "unknown") as VenueErrorKind,
            ...(wire.code === undefined ? {} : { code: wire.code }),
            ...(wire.method === undefined ? {} : { method: wire.method }),
            ...options,
          })
        : Object.assign(new Error(wire.message, options), { name: wire.name });
  if (wire.stack) error.stack = wire.stack;
  for (const key of ["kind", "code", "method"] as const) {
    if (wire[key] !== undefined && !(key in error)) Object.assign(error, { [key]: wire[key] });
  }
  return error;
}

const VENUE_KINDS: ReadonlySet<string> = new Set<VenueErrorKind>([
  "unavailable",
  "deadline-exceeded",
  "book-not-found",
  "already-exists",
  "rejected",
  "aborted",
  "unknown",
]);
