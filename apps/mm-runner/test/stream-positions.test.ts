import { expect, it } from "vitest";
import { orderRoutes } from "../src/fills/routes.ts";
import { createStreamPositions } from "../src/fills/stream-positions.ts";

it("resumes at the oldest offset with a fill not yet booked, else after the last read", () => {
  const p = createStreamPositions();
  p.start(0, 10n);
  expect(p.resumeAt(0)).toBe(10n);
  p.read(0, 10n, []); // not ours
  p.read(0, 11n, ["a", "b"]); // two fills handed to workers
  p.read(0, 12n, ["c"]);
  p.read(0, 13n, []);
  expect(p.resumeAt(0)).toBe(11n);
  // Booked out of order: 12 first. 11 still holds the resume point.
  expect(p.settle("c")).toBe(0);
  expect(p.resumeAt(0)).toBe(11n);
  p.settle("a");
  expect(p.resumeAt(0)).toBe(11n);
  p.settle("b");
  expect(p.resumeAt(0)).toBe(14n);
  expect(p.pending).toBe(0);
  expect(p.settle("unknown")).toBeUndefined();
});

it("routes an order id to the symbol whose market-maker id it starts with", () => {
  const route = orderRoutes([
    { symbol: "BTC-USDT", marketMakerId: "mm-01" },
    { symbol: "ETH-USDT", marketMakerId: "mm-01-eth" },
  ]);
  expect(route("mm-01-buy-1-1700000000000")).toBe("BTC-USDT");
  expect(route("mm-01-eth-sell-3-1700000000000")).toBe("ETH-USDT");
  expect(route("taker-17")).toBeUndefined();
  expect(route("mm-02-buy-1-1700000000000")).toBeUndefined();
});
