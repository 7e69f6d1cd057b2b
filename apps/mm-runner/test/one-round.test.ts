import { PriceError, type PriceTick } from "@matchingo-mm/core";
import type { SharedFeed } from "@matchingo-mm/price-sources";
import { expect, it } from "vitest";
import { oneRoundForAll } from "../src/prices/one-round.ts";

function fakeShared() {
  const calls: string[][] = [];
  const pending: Array<() => void> = [];
  const shared = {
    latestMany(symbols: readonly string[]) {
      calls.push([...symbols]);
      return new Promise<Map<string, PriceTick | PriceError>>((resolve) =>
        pending.push(() =>
          resolve(
            new Map(
              symbols.map((symbol) => [
                symbol,
                symbol === "BAD-USDT"
                  ? new PriceError("nope", { kind: "bad-payload", symbol })
                  : { symbol, price: "1", source: "fake", receivedAt: 0 },
              ]),
            ),
          ),
        ),
      );
    },
  } as unknown as SharedFeed;
  const settle = () => {
    for (const go of pending.splice(0)) go();
  };
  return { shared, calls, settle };
}

it("workers asking while a round is in flight join it: one call for every symbol", async () => {
  const { shared, calls, settle } = fakeShared();
  const feed = oneRoundForAll(shared, ["A-USDT", "B-USDT", "BAD-USDT"]);
  const a = feed.latest("A-USDT");
  const b = feed.latest("B-USDT");
  const bad = feed.latest("BAD-USDT");
  expect(calls).toEqual([["A-USDT", "B-USDT", "BAD-USDT"]]);
  settle();
  expect((await a).symbol).toBe("A-USDT");
  expect((await b).symbol).toBe("B-USDT");
  await expect(bad).rejects.toBeInstanceOf(PriceError);
  // The round is over: the next ask is a new call (the shared feed decides whether to fetch).
  const again = feed.latest("A-USDT");
  expect(calls).toHaveLength(2);
  settle();
  await again;
});

it("a caller's abort ends only its own wait", async () => {
  const { shared, settle } = fakeShared();
  const feed = oneRoundForAll(shared, ["A-USDT", "B-USDT"]);
  const controller = new AbortController();
  const a = feed.latest("A-USDT", { signal: controller.signal });
  const b = feed.latest("B-USDT");
  controller.abort();
  await expect(a).rejects.toMatchObject({ kind: "aborted" });
  settle();
  expect((await b).price).toBe("1");
});
