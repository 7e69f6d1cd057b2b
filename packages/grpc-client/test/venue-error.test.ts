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
