import { describe, expect, it } from "vitest";
import { callListener } from "../../src/index.ts";

describe("callListener", () => {
  it("calls the listener with the value", () => {
    const seen: number[] = [];
    expect(callListener((n: number) => seen.push(n), 7)).toBe(true);
    expect(seen).toEqual([7]);
  });

  it("does nothing without a listener", () => {
    expect(callListener<number>(undefined, 7)).toBe(true);
  });

  it("swallows a throw and reports it", () => {
    const errors: unknown[] = [];
    const boom = new Error("boom");
    const ok = callListener(
      () => {
        throw boom;
      },
      1,
      (error) => errors.push(error),
    );
    expect(ok).toBe(false);
    expect(errors).toEqual([boom]);
  });

  it("swallows a throw with no reporter, and a reporter's own throw", () => {
    const thrower = () => {
      throw new Error("boom");
    };
    expect(callListener(thrower, 1)).toBe(false);
    expect(
      callListener(thrower, 1, () => {
        throw new Error("reporter too");
      }),
    ).toBe(false);
  });

  it("reports the rejection of a promise the listener returns", async () => {
    const errors: unknown[] = [];
    const boom = new Error("later");
    expect(
      callListener(
        async () => Promise.reject(boom),
        1,
        (e) => errors.push(e),
      ),
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual([boom]);
  });
});
