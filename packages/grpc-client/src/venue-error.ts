import { VenueError, type VenueErrorKind } from "@matchingo-mm/core";
import { ClientError, Status } from "nice-grpc-common";

/** Matchingo's NOT_FOUND for a missing book reads "order book X not found". */
const BOOK_NOT_FOUND = /\border[ _-]?book\b.*\bnot found\b/i;

export function isBookNotFound(error: ClientError): boolean {
  return error.code === Status.NOT_FOUND && BOOK_NOT_FOUND.test(error.details);
}

export function hasStatus(error: unknown, code: Status): error is ClientError {
  return error instanceof ClientError && error.code === code;
}

export function statusName(code: Status): string {
  return Status[code] ?? `status ${code}`;
}

/**
 * What grpc-js writes when it made a status up itself, not the venue: the stream was reset
 * (RST_STREAM, e.g. after the bytes on the wire went bad, or by a proxy on the way), a
 * proxy answered HTTP 400, a write broke off, or an answer could not be read. All of
 * these say nothing of whether the venue carried the request out.
 */
const MADE_BY_TRANSPORT =
  /^(Received RST_STREAM with code|Received HTTP status code|Write error:|Response message parsing error)/;

/**
 * A status grpc-js made up after the stream or connection broke, rather than one the venue
 * answered (its INTERNAL "nil order" is an answer; "Received RST_STREAM with code 1" is not).
 */
function madeByTransport(error: ClientError): boolean {
  return MADE_BY_TRANSPORT.test(error.details);
}

function kindOf(code: Status): VenueErrorKind {
  switch (code) {
    case Status.UNAVAILABLE:
      return "unavailable";
    case Status.DEADLINE_EXCEEDED:
      return "deadline-exceeded";
    case Status.INVALID_ARGUMENT:
    case Status.INTERNAL:
      return "rejected";
    case Status.NOT_FOUND:
      // Callers handle an order's NOT_FOUND themselves; what reaches here is the book's.
      return "book-not-found";
    case Status.ALREADY_EXISTS:
      return "already-exists";
    default:
      return "unknown";
  }
}

const SUMMARY: Record<VenueErrorKind, string> = {
  unavailable: "venue unavailable",
  "deadline-exceeded": "deadline exceeded",
  "book-not-found": "order book not found",
  "already-exists": "already exists",
  rejected: "rejected by the venue",
  aborted: "aborted by the caller",
  unknown: "failed",
};

/** Turns whatever a call threw into the typed error the loop acts on. */
export function toVenueError(error: unknown, method: string, signal?: AbortSignal): VenueError {
  if (error instanceof VenueError) return error;
  if (signal?.aborted || isAbortError(error)) {
    return new VenueError(`${method} ${SUMMARY.aborted}`, {
      kind: "aborted",
      method,
      cause: error,
    });
  }
  if (error instanceof ClientError) {
    if (error.code === Status.INTERNAL && madeByTransport(error)) {
      // The venue may have carried it out: a create must stay tracked, not be forgotten.
      return new VenueError(
        `${method} outcome unknown, the stream broke: ${error.details} (gRPC ${statusName(error.code)})`,
        { kind: "unknown", code: error.code, method, cause: error },
      );
    }
    const kind = kindOf(error.code);
    return new VenueError(
      `${method} ${SUMMARY[kind]}: ${error.details} (gRPC ${statusName(error.code)})`,
      { kind, code: error.code, method, cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new VenueError(`${method} ${SUMMARY.unknown}: ${reason}`, {
    kind: "unknown",
    method,
    cause: error,
  });
}

/** A refusal made here, before anything was sent. */
export function refused(method: string, reason: string, cause?: unknown): VenueError {
  return new VenueError(`${method} not sent: ${reason}`, { kind: "rejected", method, cause });
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
