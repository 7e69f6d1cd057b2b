import { VenueError } from "@matchingo-mm/core";
import { ClientError, Status } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import { isBookNotFound, toVenueError } from "../src/venue-error.ts";

const path = "/matchingo.api.OrderBookService/CreateOrder";

describe("toVenueError", () => {
  it.each([
    [Status.UNAVAILABLE, "unavailable"],
    [Status.DEADLINE_EXCEEDED, "deadline-exceeded"],
    [Status.INVALID_ARGUMENT, "rejected"],
    [Status.INTERNAL, "rejected"],
    [Status.NOT_FOUND, "book-not-found"],
    [Status.ALREADY_EXISTS, "already-exists"],
    [Status.PERMISSION_DENIED, "unknown"],
    [Status.UNIMPLEMENTED, "unknown"],
  ] as const)("gRPC %s → %s, keeping code, method, cause and the venue's reason", (code, kind) => {
    const cause = new ClientError(path, code, "the venue's reason");
    const error = toVenueError(cause, "CreateOrder");
    expect(error).toBeInstanceOf(VenueError);
    expect(error).toMatchObject({ kind, code, method: "CreateOrder", cause });
    expect(error.message).toContain("the venue's reason");
    expect(error.message).toContain(Status[code]);
  });

  it("the caller's abort → aborted, whatever was thrown", () => {
    const controller = new AbortController();
    controller.abort();
    const error = toVenueError(new Error("x"), "GetOrder", controller.signal);
    expect(error.kind).toBe("aborted");
    expect(error.outcomeUnknown).toBe(true);
  });

  it("an AbortError → aborted; anything else → unknown with its message", () => {
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(toVenueError(abort, "GetOrder").kind).toBe("aborted");
    const other = toVenueError(new Error("boom"), "GetOrder");
    expect(other).toMatchObject({ kind: "unknown", code: undefined });
    expect(other.message).toContain("boom");
  });

  it("a rejected create is not outcome-unknown; an unavailable one is", () => {
    expect(
      toVenueError(new ClientError(path, Status.INTERNAL, "x"), "CreateOrder").outcomeUnknown,
    ).toBe(false);
    expect(
      toVenueError(new ClientError(path, Status.UNAVAILABLE, "x"), "CreateOrder").outcomeUnknown,
    ).toBe(true);
  });
});

describe("a status grpc-js made up after the stream broke is not the venue's answer", () => {
  it.each([
    "Received RST_STREAM with code 1",
    "Received RST_STREAM with code 2 (Internal server error)",
    "Received RST_STREAM with code 2 triggered by internal client error: Stream was already closed or invalid",
    "Received RST_STREAM with code 0 (Call ended without gRPC status)",
    "Received HTTP status code 400",
    "Write error: write EPIPE",
    "Response message parsing error: index out of range",
  ])("INTERNAL %j → unknown, outcome unknown, not 'rejected'", (details) => {
    const error = toVenueError(new ClientError(path, Status.INTERNAL, details), "CreateOrder");
    expect(error).toMatchObject({ kind: "unknown", code: Status.INTERNAL, outcomeUnknown: true });
    expect(error.message).toContain(details);
    expect(error.message).not.toContain("rejected");
  });

  it("the venue's INTERNAL 'nil order' stays a rejection", () => {
    const error = toVenueError(
      new ClientError(path, Status.INTERNAL, "order creation failed: nil order"),
      "CreateOrder",
    );
    expect(error).toMatchObject({ kind: "rejected", outcomeUnknown: false });
  });
});

describe("isBookNotFound tells the book's NOT_FOUND from the order's", () => {
  it.each([
    ["order book btc not found", true],
    ["order book BTC-USDT not found", true],
    ["order o-1 not found", false],
    ["order 42 not found", false],
  ])("%j → %s", (details, expected) => {
    expect(isBookNotFound(new ClientError(path, Status.NOT_FOUND, details))).toBe(expected);
  });

  it("only for NOT_FOUND", () => {
    expect(isBookNotFound(new ClientError(path, Status.INTERNAL, "order book b not found"))).toBe(
      false,
    );
  });
});
