import { describe, expect, it } from "vitest";
import {
  ConfigError,
  createTimestamps,
  formatOrderId,
  parseOrderId,
  validateMarketMakerId,
} from "../src/index.ts";
import { fakeClock } from "./fakes.ts";

describe("order ids", () => {
  it("have the seed's form and parse back", () => {
    const id = formatOrderId({
      marketMakerId: "mm-01",
      side: "buy",
      level: 1,
      timestamp: 1_700_000_000_123,
    });
    expect(id).toBe("mm-01-buy-1-1700000000123");
    expect(parseOrderId(id)).toEqual({
      marketMakerId: "mm-01",
      side: "buy",
      level: 1,
      timestamp: 1_700_000_000_123,
    });
    expect(parseOrderId(id, "mm-01")?.side).toBe("buy");
    expect(parseOrderId("mm-01-sell-12-5", "mm-01")).toEqual({
      marketMakerId: "mm-01",
      side: "sell",
      level: 12,
      timestamp: 5,
    });
  });

  it("recognise only our own ids", () => {
    expect(parseOrderId("mm-01-buy-1-17", "mm-02")).toBeUndefined();
    expect(parseOrderId("someone-else")).toBeUndefined();
    expect(parseOrderId("mm-01-hold-1-17")).toBeUndefined();
    expect(parseOrderId("mm-01-buy-0-17")).toBeUndefined();
    expect(parseOrderId("mm-01-buy-1-")).toBeUndefined();
    expect(parseOrderId("-buy-1-17")).toBeUndefined();
    // A market maker id may itself contain "-buy-": the last one is the side.
    expect(parseOrderId("a-buy-1-2-sell-3-4")).toMatchObject({
      marketMakerId: "a-buy-1-2",
      side: "sell",
      level: 3,
    });
  });

  it("refuse bad market maker ids, naming the field", () => {
    for (const bad of ["", " mm", "mm 01", "-mm", "m".repeat(65), 7]) {
      expect(() => validateMarketMakerId(bad)).toThrow(ConfigError);
    }
    try {
      validateMarketMakerId("mm 01");
    } catch (error) {
      expect((error as ConfigError).field).toBe("marketMakerId");
      expect((error as Error).message).toContain('"mm 01"');
    }
    expect(validateMarketMakerId("mm-01")).toBe("mm-01");
  });
});

describe("createTimestamps", () => {
  it("follows the clock and bumps by one when it has not advanced", () => {
    const clock = fakeClock(1_000);
    const stamps = createTimestamps({ clock });
    expect(stamps.next()).toBe(1_000);
    expect(stamps.next()).toBe(1_001);
    expect(stamps.next()).toBe(1_002);
    clock.set(5_000);
    expect(stamps.next()).toBe(5_000);
  });

  it("never goes back when the clock does", () => {
    const clock = fakeClock(10_000);
    const stamps = createTimestamps({ clock });
    stamps.next();
    clock.set(9_000);
    expect(stamps.next()).toBe(10_001);
  });

  it("starts after a given timestamp (e.g. the last one journaled)", () => {
    const stamps = createTimestamps({ clock: fakeClock(1_000), after: 2_000 });
    expect(stamps.next()).toBe(2_001);
  });

  it("gives distinct ids for many cycles within one ms", () => {
    const stamps = createTimestamps({ clock: fakeClock(1) });
    const ids = new Set(
      Array.from({ length: 1000 }, () =>
        formatOrderId({ marketMakerId: "mm", side: "buy", level: 1, timestamp: stamps.next() }),
      ),
    );
    expect(ids.size).toBe(1000);
  });
});
