import { describe, expect, it } from "vitest";
import { callRates, histogramQuantiles, reactions, type Take } from "../src/fills/analysis.ts";
import type { VenueRequest } from "../src/peer/analysis.ts";

const req = (
  at: number,
  method: string,
  book: string,
  extra: Partial<VenueRequest> = {},
): VenueRequest => ({ at, method, book, ...extra });
const create = (
  at: number,
  book: string,
  id: string,
  side: "buy" | "sell",
  price: string,
  user: string,
): VenueRequest => req(at, "CreateOrder", book, { orderId: id, side, price, user });

describe("calls per symbol per second", () => {
  it("counts the window's requests on the named books, by method, per book per second", () => {
    const requests = [
      req(999, "GetOrderBook", "A"), // before the window
      req(1000, "GetOrderBook", "A"),
      req(1500, "GetOrder", "A"),
      req(2000, "GetOrderBook", "B"),
      req(2500, "GetOrderBook", "C"), // not ours
      req(3000, "GetOrderBook", "A"), // the window's end is outside it
    ];
    const rates = callRates(requests, ["A", "B"], 1000, 3000);
    expect(rates.calls).toBe(3);
    // 3 calls over 2 books and 2 s.
    expect(rates.perSymbolPerSecond).toBe(0.75);
    expect(rates.byMethod).toEqual({ GetOrder: 0.25, GetOrderBook: 0.5 });
  });

  it("is NaN for no books or an empty window rather than a made-up zero", () => {
    expect(callRates([], [], 0, 1000).perSymbolPerSecond).toBeNaN();
    expect(callRates([], ["A"], 1000, 1000).perSymbolPerSecond).toBeNaN();
  });
});

describe("fill to reaction from the venue's log", () => {
  const isMm = (user: string) => user === "mm";
  const take = (book: string, orderId: string, ourSide: "buy" | "sell", answeredAt: number) =>
    ({ book, orderId, ourSide, price: "50025.00", answeredAt }) satisfies Take;

  it("times the take's answer to our next create on that side of that book", () => {
    const requests = [
      create(100, "A", "t1", "buy", "50025.00", "taker"),
      create(110, "A", "mm-x", "buy", "49975.00", "mm"), // the wrong side
      create(120, "B", "mm-y", "sell", "50025.00", "mm"), // another book
      create(130, "A", "other-1", "sell", "50025.00", "someone"), // not ours
      create(150, "A", "mm-1", "sell", "50025.000", "mm"),
      create(160, "A", "mm-2", "sell", "50050.00", "mm"),
    ];
    const result = reactions([take("A", "t1", "sell", 105)], requests, isMm);
    expect(result).toEqual({ samples: [{ book: "A", ms: 45, samePrice: true }], missed: 0 });
  });

  it("takes the log's order: a create logged before the take is not its reaction", () => {
    const requests = [
      create(90, "A", "mm-0", "sell", "50025.00", "mm"),
      create(100, "A", "t1", "buy", "50025.00", "taker"),
    ];
    expect(reactions([take("A", "t1", "sell", 80)], requests, isMm)).toEqual({
      samples: [],
      missed: 1,
    });
  });

  it("counts a take as missed when the next take on its book comes first, or it was never logged", () => {
    const requests = [
      create(100, "A", "t1", "buy", "50025.00", "taker"),
      create(200, "A", "t2", "buy", "50025.00", "taker"),
      create(250, "A", "mm-1", "sell", "50030.00", "mm"),
    ];
    const result = reactions(
      [take("A", "t1", "sell", 101), take("A", "t2", "sell", 201), take("A", "t9", "sell", 300)],
      requests,
      isMm,
    );
    expect(result.missed).toBe(2);
    expect(result.samples).toEqual([{ book: "A", ms: 49, samePrice: false }]);
  });
});

describe("a Prometheus histogram's quantiles", () => {
  const metrics = [
    "# TYPE mm_fill_reaction_seconds histogram",
    'mm_fill_reaction_seconds_bucket{le="0.01",symbol="A"} 1',
    'mm_fill_reaction_seconds_bucket{le="0.05",symbol="A"} 8',
    'mm_fill_reaction_seconds_bucket{le="0.1",symbol="A"} 9',
    'mm_fill_reaction_seconds_bucket{le="+Inf",symbol="A"} 10',
    'mm_fill_reaction_seconds_bucket{le="0.01",symbol="B"} 0',
    'mm_fill_reaction_seconds_bucket{le="0.05",symbol="B"} 0',
    'mm_fill_reaction_seconds_bucket{le="0.1",symbol="B"} 10',
    'mm_fill_reaction_seconds_bucket{le="+Inf",symbol="B"} 10',
    'mm_fill_reaction_seconds_sum{symbol="A"} 0.3',
    'mm_fill_reaction_seconds_count{symbol="A"} 10',
    'mm_fill_reaction_seconds_bucket_other{le="0.01"} 99',
  ].join("\n");

  it("adds the label sets up and answers the bucket bounds of p50 and p99", () => {
    // 20 in all: 1 ≤ 0.01, 8 ≤ 0.05, 19 ≤ 0.1, 20 ≤ +Inf.
    expect(histogramQuantiles(metrics, "mm_fill_reaction_seconds")).toEqual({
      count: 20,
      p50: 0.1,
      p99: Number.POSITIVE_INFINITY,
    });
  });

  it("answers no bounds when nothing was observed", () => {
    expect(histogramQuantiles("", "mm_fill_reaction_seconds")).toEqual({ count: 0 });
  });
});
