import { Status } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, isRetryable } from "../src/retry-policy.ts";

const path = (method: string) => `/matchingo.api.OrderBookService/${method}`;
const ALL = [
  "CreateOrderBook",
  "GetOrderBook",
  "ListOrderBooks",
  "DeleteOrderBook",
  "CreateOrder",
  "GetOrder",
  "CancelOrder",
  "GetOrderBookState",
];
const READS = ["GetOrder", "GetOrderBook", "GetOrderBookState", "ListOrderBooks"];

describe("isRetryable", () => {
  it("UNAVAILABLE is retried for every rpc", () => {
    for (const method of ALL) expect(isRetryable(path(method), Status.UNAVAILABLE)).toBe(true);
  });

  it("DEADLINE_EXCEEDED is retried for reads only", () => {
    const retried = ALL.filter((method) => isRetryable(path(method), Status.DEADLINE_EXCEEDED));
    expect(retried.sort()).toEqual([...READS].sort());
  });

  it("answers are never retried", () => {
    const answers = Object.values(Status).filter(
      (code): code is Status =>
        typeof code === "number" &&
        code !== Status.UNAVAILABLE &&
        code !== Status.DEADLINE_EXCEEDED,
    );
    expect(answers).toContain(Status.INTERNAL);
    for (const method of ALL) {
      for (const code of answers) expect(isRetryable(path(method), code)).toBe(false);
    }
  });
});

describe("backoffDelayMs: exponential with full jitter", () => {
  const options = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };

  it("the ceiling doubles per attempt up to maxDelayMs", () => {
    const almostOne = () => 0.999_999;
    expect(
      [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, options, almostOne)),
    ).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it("is uniform from zero: the random draw scales the whole ceiling", () => {
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(200);
  });
});
