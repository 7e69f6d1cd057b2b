import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { delay, delayEndingOnAbort } from "../../src/index.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Settles `promise` into a value the test can compare, without awaiting it. */
function watch(promise: Promise<void>) {
  const state: { value: "pending" | "resolved" | "rejected"; error?: unknown } = {
    value: "pending",
  };
  promise.then(
    () => {
      state.value = "resolved";
    },
    (error: unknown) => {
      state.value = "rejected";
      state.error = error;
    },
  );
  return state;
}

describe("delay", () => {
  it("resolves after its time, not before", async () => {
    const state = watch(delay(100));
    await vi.advanceTimersByTimeAsync(99);
    expect(state.value).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(state.value).toBe("resolved");
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    const controller = new AbortController();
    const state = watch(delay(1_000, { signal: controller.signal }));
    const reason = new Error("stop");
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(state).toEqual({ value: "rejected", error: reason });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with an AbortError when the reason is not an Error, or already aborted", async () => {
    const controller = new AbortController();
    controller.abort("just because");
    await expect(delay(1_000, { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets go of the signal once it resolved", async () => {
    const controller = new AbortController();
    const state = watch(delay(10, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("late"));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.value).toBe("resolved");
  });
});

describe("delayEndingOnAbort", () => {
  it("resolves after its time", async () => {
    const state = watch(delayEndingOnAbort(50));
    await vi.advanceTimersByTimeAsync(49);
    expect(state.value).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(state.value).toBe("resolved");
  });

  it("resolves (never rejects) as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const state = watch(delayEndingOnAbort(10_000, { signal: controller.signal }));
    controller.abort(new Error("stop"));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.value).toBe("resolved");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves at once when already aborted or the time is not positive", async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = watch(delayEndingOnAbort(10_000, { signal: controller.signal }));
    const negative = watch(delayEndingOnAbort(-5));
    await vi.advanceTimersByTimeAsync(0);
    expect([aborted.value, negative.value]).toEqual(["resolved", "resolved"]);
  });
});
