import { expect, it } from "vitest";
import { createPriceHistory } from "../../src/market-maker/price-history.ts";

it("keeps the window's prices, oldest first, and drops older ones", () => {
  const history = createPriceHistory();
  for (let i = 0; i <= 10; i++) history.record({ at: i * 1000, price: String(100 + i) }, 5000);
  expect(history.window(10_000, 5000).map((p) => p.price)).toEqual([
    "105",
    "106",
    "107",
    "108",
    "109",
    "110",
  ]);
  // Later asked with a later clock: the window moves on.
  expect(history.window(14_000, 5000).map((p) => p.price)).toEqual(["109", "110"]);
});

it("stays bounded however fast prices come: close points replace the newest", () => {
  const history = createPriceHistory();
  for (let i = 0; i < 100_000; i++) history.record({ at: i, price: String(i) }, 60_000);
  const points = history.window(99_999, 60_000);
  // Every two kept points are at least window / 2000 apart: at most 4000 in a window.
  expect(points.length).toBeLessThanOrEqual(4001);
  expect(points.length).toBeGreaterThan(1000);
  // The newest price always counts.
  expect(points.at(-1)).toEqual({ at: 99_999, price: "99999" });
});

it("ignores a price older than the newest (a full cycle's, after a pushed tick) and repeats", () => {
  const history = createPriceHistory();
  history.record({ at: 2000, price: "101" }, 60_000);
  history.record({ at: 1000, price: "100" }, 60_000);
  history.record({ at: 2000, price: "101" }, 60_000);
  expect(history.window(2000, 60_000)).toEqual([{ at: 2000, price: "101" }]);
});
