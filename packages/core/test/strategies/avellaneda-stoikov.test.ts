import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  avellanedaStoikovLadder,
  avellanedaStoikovQuote,
  computeLadder,
  type Ladder,
  layeredLadder,
  type MarketView,
  optimalSpread,
  type PricePoint,
  parseDecimal,
  parseLadderParams,
  parseRisk,
  reservationPrice,
  timeLeftSeconds,
  varianceRate,
} from "../../src/index.ts";

const ladderParams = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "1",
  priceTick: "0.01",
  qtyStep: "0.001",
};

/** 100 → 102 → 100, a second apart: Σ moves² = 8 over 2 s, σ² = 4 per second. */
const VOLATILE: PricePoint[] = [
  { at: 0, price: "100" },
  { at: 1000, price: "102" },
  { at: 2000, price: "100" },
];

function view(overrides: Partial<MarketView> & { params?: object } = {}): MarketView {
  const { params, ...rest } = overrides;
  return {
    symbol: "T-USD",
    reference: parseDecimal("100"),
    prices: VOLATILE,
    position: parseDecimal("2"),
    ladder: parseLadderParams({ ...ladderParams, ...params }),
    risk: parseRisk({}),
    strategy: {
      asGamma: parseDecimal("0.1"),
      asKappa: parseDecimal("1.5"),
      volatilityWindowMs: 60_000,
    },
    now: 2000,
    ...rest,
  };
}

const prices = (ladder: Ladder) => ({
  bids: ladder.bids.map((l) => l.price),
  asks: ladder.asks.map((l) => l.price),
});

describe("Avellaneda–Stoikov: closed form, by hand", () => {
  it("r = s − q·γ·σ²·(T − t)", () => {
    // 100 − 2 × 0.1 × 4 × 1 = 99.2
    expect(reservationPrice(100, 2, 0.1, 4, 1)).toBeCloseTo(99.2, 12);
    // Short 3, 10 s left: 100 + 3 × 0.1 × 4 × 10 = 112
    expect(reservationPrice(100, -3, 0.1, 4, 10)).toBeCloseTo(112, 12);
    expect(reservationPrice(100, 0, 0.1, 4, 10)).toBe(100);
  });

  it("δ = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/κ)", () => {
    // 0.4 + 20 × ln(1 + 1/15) = 0.4 + 1.2907704227514 = 1.6907704227514
    expect(optimalSpread(0.1, 4, 1, 1.5)).toBeCloseTo(1.6907704227514, 12);
    // No volatility: only the liquidity term, 2/γ·ln(1+γ/κ) = 2 × ln 2 at γ = κ = 1.
    expect(optimalSpread(1, 0, 100, 1)).toBeCloseTo(2 * Math.LN2, 14);
  });

  it("σ² is the realized variance per second of the window's prices", () => {
    expect(varianceRate(VOLATILE)).toBe(4);
    // Irregular spacing: moves 1 and 3 over 4 s: (1 + 9) / 4.
    expect(
      varianceRate([
        { at: 0, price: "50" },
        { at: 1000, price: "51" },
        { at: 4000, price: "48" },
      ]),
    ).toBe(2.5);
    expect(varianceRate([{ at: 0, price: "50" }])).toBe(0);
    expect(varianceRate([])).toBe(0);
  });

  it("T − t: the time left in the horizon's session, or 1 s with an infinite horizon", () => {
    expect(timeLeftSeconds(45_000, 60_000)).toBe(15);
    expect(timeLeftSeconds(60_000, 60_000)).toBe(60);
    expect(timeLeftSeconds(125_500, 60_000)).toBe(54.5);
    expect(timeLeftSeconds(123_456, undefined)).toBe(1);
  });

  it("inventory counts in order sizes (level 1's)", () => {
    const quote = avellanedaStoikovQuote(
      view({ position: parseDecimal("0.5"), params: { orderSize: "0.25" } }),
    );
    expect(quote.inventory).toBe(2);
    expect(quote.variance).toBe(4);
    expect(quote.reservation).toBeCloseTo(99.2, 12);
  });
});

describe("Avellaneda–Stoikov: the ladder", () => {
  it("lays the levels from r ∓ δ/2 outward by PRICE_STEP_PERCENT, bids down and asks up", () => {
    // r = 99.2, δ = 1.69077…: bid 98.354614… → 98.35, ask 100.045385… → 100.05; step 0.05.
    const ladder = avellanedaStoikovLadder(view());
    expect(prices(ladder)).toEqual({
      bids: ["98.35", "98.30", "98.25"],
      asks: ["100.05", "100.10", "100.15"],
    });
    expect(ladder.center).toBe("99.20000000");
    expect(ladder.bids.map((l) => l.quantity)).toEqual(["1.000", "1.000", "1.000"]);
  });

  it("finite horizon: 15 s left, r = 88 and the ask is held at P, not below it", () => {
    // r = 100 − 2 × 0.1 × 4 × 15 = 88, δ = 7.2907…: bid 84.354… → 84.35; ask 91.64 < P → 100.
    const ladder = avellanedaStoikovLadder(
      view({
        now: 45_000,
        strategy: { ...view().strategy, asHorizonMs: 60_000 },
      }),
    );
    expect(prices(ladder)).toEqual({
      bids: ["84.35", "84.30", "84.25"],
      asks: ["100.00", "100.05", "100.10"],
    });
  });

  it("flat and without volatility, the spread is never below BASE_SPREAD_PERCENT", () => {
    // δ = 20 × ln(1 + 1/15) = 1.29 < 2 % of 100 = 2: the floor holds, centred on P.
    const ladder = avellanedaStoikovLadder(
      view({ position: parseDecimal("0"), prices: [], params: { baseSpreadPercent: "2" } }),
    );
    expect(prices(ladder)).toEqual({
      bids: ["99.00", "98.95", "98.90"],
      asks: ["101.00", "101.05", "101.10"],
    });
  });

  it("sizes levels as configured", () => {
    const ladder = avellanedaStoikovLadder(view({ params: { orderSizeMultiplier: "2" } }));
    expect(ladder.asks.map((l) => l.quantity)).toEqual(["1.000", "2.000", "4.000"]);
  });

  it("the layered strategy is exactly the seed's ladder", () => {
    const seed = { ...ladderParams, orderSize: "0.01" };
    const layered = layeredLadder(
      view({ reference: parseDecimal("50000.00"), position: parseDecimal("0"), params: seed }),
    );
    expect(layered).toEqual(computeLadder("50000.00", seed));
    expect(prices(layered)).toEqual({
      bids: ["49975.00", "49950.00", "49925.00"],
      asks: ["50025.00", "50050.00", "50075.00"],
    });
  });
});

describe("Avellaneda–Stoikov: properties", () => {
  // Whole thousandths: floats, but never subnormal nothings that round to equal results.
  const thousandths = (min: number, max: number) =>
    fc.integer({ min: min * 1000, max: max * 1000 }).map((n) => n / 1000);
  const gamma = thousandths(0.001, 5);
  const kappa = thousandths(0.01, 50);
  const variance = thousandths(0, 100);
  const timeLeft = thousandths(0.001, 3600);
  const inventory = thousandths(-50, 50);

  it("more inventory → a lower reservation price", () => {
    fc.assert(
      fc.property(
        inventory,
        inventory,
        gamma,
        thousandths(0.01, 100),
        timeLeft,
        (a, b, g, v, t) => {
          fc.pre(a !== b);
          const [less, more] = a < b ? [a, b] : [b, a];
          expect(reservationPrice(1000, more, g, v, t)).toBeLessThan(
            reservationPrice(1000, less, g, v, t),
          );
        },
      ),
    );
  });

  it("more volatility → a wider spread", () => {
    fc.assert(
      fc.property(variance, variance, gamma, kappa, timeLeft, (a, b, g, k, t) => {
        fc.pre(a !== b);
        const [calm, wild] = a < b ? [a, b] : [b, a];
        expect(optimalSpread(g, wild, t, k)).toBeGreaterThan(optimalSpread(g, calm, t, k));
      }),
    );
  });

  it("more volatility → a ladder at least as wide (quantized)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (move, extra) => {
          const walk = (size: number): PricePoint[] => [
            { at: 0, price: "1000" },
            { at: 1000, price: String(1000 + size / 100) },
            { at: 2000, price: "1000" },
          ];
          const width = (ladder: Ladder) =>
            Number(ladder.asks[0]?.price) - Number(ladder.bids[0]?.price);
          const at = (size: number) =>
            avellanedaStoikovLadder(
              view({
                reference: parseDecimal("1000"),
                position: parseDecimal("0"),
                prices: walk(size),
              }),
            );
          expect(width(at(move + extra))).toBeGreaterThanOrEqual(width(at(move)));
        },
      ),
    );
  });

  it("never crosses: best bid < best ask, neither through P, sides strictly ordered, spread ≥ the floor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 10_000_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 0, maxLength: 20 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.option(fc.integer({ min: 1_000, max: 600_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (cents, position, moves, g, k, horizon, now) => {
          const reference = cents / 100;
          const points: PricePoint[] = [];
          let price = reference;
          moves.forEach((move, i) => {
            price = Math.max(0.01, price + move / 100);
            points.push({ at: i * 250, price: price.toFixed(2) });
          });
          const strategy = {
            asGamma: parseDecimal(String(g / 100)),
            asKappa: parseDecimal(String(k / 100)),
            volatilityWindowMs: 60_000,
            ...(horizon === undefined ? {} : { asHorizonMs: horizon }),
          };
          let ladder: Ladder;
          try {
            ladder = avellanedaStoikovLadder(
              view({
                reference: parseDecimal(reference.toFixed(2)),
                position: parseDecimal(String(position / 10)),
                prices: points,
                strategy,
                now,
                params: { baseSpreadPercent: "0.1", priceStepPercent: "0.05" },
              }),
            );
          } catch (error) {
            // Only a bid pushed to or below 0 may refuse, never a crossed ladder.
            expect((error as Error).message).toMatch(/<= 0|came out as/);
            return;
          }
          const bestBid = Number(ladder.bids[0]?.price);
          const bestAsk = Number(ladder.asks[0]?.price);
          expect(bestBid).toBeLessThan(bestAsk);
          expect(bestBid).toBeLessThanOrEqual(reference);
          expect(bestAsk).toBeGreaterThanOrEqual(reference);
          expect(bestAsk - bestBid).toBeGreaterThanOrEqual(reference * 0.001 - 1e-9);
          for (let i = 1; i < 3; i++) {
            expect(Number(ladder.bids[i]?.price)).toBeLessThan(Number(ladder.bids[i - 1]?.price));
            expect(Number(ladder.asks[i]?.price)).toBeGreaterThan(
              Number(ladder.asks[i - 1]?.price),
            );
          }
        },
      ),
    );
  });
});
