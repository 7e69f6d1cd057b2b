import { PriceError, type PriceTick } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import {
  checkPrice,
  judgeRound,
  type Observation,
  parseTrustRules,
  type TrustOptions,
  type TrustState,
} from "../src/index.ts";

const T0 = 1_800_000_000_000;
const tick = (source: string, price: string): Observation => ({
  tick: { symbol: "BTC-USDT", price, source, receivedAt: T0 },
});

/** Rounds judged one after the other, `gapMs` apart, from the same state. */
function rounds(options: TrustOptions, ...each: Observation[][]) {
  const rules = parseTrustRules({ confirmations: 3, maxGapMs: 30_000, ...options });
  let state: TrustState = {};
  let now = T0;
  return each.map((observations) => {
    const round = judgeRound(state, observations, now, rules);
    state = round.state;
    now += 1000;
    return round.verdict;
  });
}

describe("a first price must earn trust (issue 22)", () => {
  it("is taken at once when two sources agree within MAX_SOURCE_DEVIATION_PERCENT", () => {
    const [verdict] = rounds({ maxDeviationPercent: "1" }, [
      tick("binance", "5000000.00"),
      tick("coinbase", "50000.00"),
      tick("kraken", "50010.00"),
    ]);
    expect(verdict).toMatchObject({
      trusted: true,
      how: "agreed",
      tick: { source: "coinbase", price: "50000.00" },
      confirmedBy: ["kraken"],
    });
    // The bad source's price is reported as an outlier of the accepted one.
    expect(verdict!.trusted && verdict!.outliers.map((t) => t.price)).toEqual(["5000000.00"]);
  });

  it("refuses a first price the answering sources disagree on", () => {
    const [verdict] = rounds({}, [tick("binance", "5000000.00"), tick("coinbase", "50000.00")]);
    expect(verdict).toMatchObject({ trusted: false, reason: "disagree" });
    expect(!verdict!.trusted && verdict!.message).toContain(
      "binance 5000000.00, coinbase 50000.00",
    );
  });

  it("takes a lone source's price only once it held for FIRST_PRICE_CONFIRMATIONS rounds", () => {
    const verdicts = rounds(
      { confirmations: 3 },
      [tick("binance", "5000000.00")],
      [tick("binance", "5000000.00")],
      // The right price: the count starts again, the bad one was never taken.
      [tick("binance", "50000.00")],
      [tick("binance", "50100.00")], // within 1 %: it holds
      [tick("binance", "49990.00")],
    );
    expect(verdicts.map((v) => (v.trusted ? `${v.how} ${v.tick.price}` : v.reason))).toEqual([
      "unconfirmed",
      "unconfirmed",
      "unconfirmed",
      "unconfirmed",
      "held 49990.00",
    ]);
    expect(!verdicts[1]!.trusted && verdicts[1]!.message).toContain("(2 so far)");
  });

  it("counts rounds closer than minRoundGapMs as one (a burst of stream frames)", () => {
    const rules = parseTrustRules({ confirmations: 2, minRoundGapMs: 1000 });
    let state: TrustState = {};
    for (const at of [0, 10, 20, 30, 999]) {
      const round = judgeRound(state, [tick("binance", "50000")], T0 + at, rules);
      expect(round.verdict.trusted).toBe(false);
      state = round.state;
    }
    expect(judgeRound(state, [tick("binance", "50000")], T0 + 1000, rules).verdict).toMatchObject({
      trusted: true,
      how: "held",
    });
  });

  it("refuses a price outside PRICE_MIN..PRICE_MAX, whatever agrees on it", () => {
    const [verdict] = rounds({ priceMin: "1000", priceMax: "1000000" }, [
      tick("binance", "5000000.00"),
      tick("coinbase", "5000000.00"),
    ]);
    expect(verdict).toMatchObject({ trusted: false, reason: "out-of-band" });
    expect(!verdict!.trusted && verdict!.message).toBe(
      "binance says 5000000.00, above PRICE_MAX 1000000",
    );
    const [low] = rounds({ priceMin: "1000" }, [tick("binance", "5.00"), tick("coinbase", "5.00")]);
    expect(!low!.trusted && low!.message).toContain("below PRICE_MIN 1000");
  });

  it("refuses absurdly long prices: more integer digits than the venue holds, or long text", () => {
    const context = { source: "binance", symbol: "BTC-USDT" };
    expect(checkPrice("9223372036854775.5", "price", context)).toBe("9223372036854775.5");
    const forty = `1${"0".repeat(39)}`;
    expect(() => checkPrice(forty, "price", context)).toThrow(PriceError);
    expect(() => checkPrice("12345678901234567", "price", context)).toThrow(
      /17 digits before the point \(at most 16/,
    );
    expect(() => checkPrice(`0.${"0".repeat(40)}1`, "price", context)).toThrow(/characters long/);
    try {
      checkPrice(forty, "price", context);
    } catch (error) {
      expect(error).toMatchObject({ kind: "invalid-price" });
    }
  });
});

describe("the jump guard can never lock a symbol out (issue 22)", () => {
  const start = [tick("binance", "50000"), tick("coinbase", "50000")];

  it("takes a jump every answering source kept saying for JUMP_ACCEPT_SECONDS", () => {
    const verdicts = rounds(
      { jumpAcceptMs: 3000 },
      start,
      [tick("binance", "65000")],
      [tick("binance", "65100")],
      [tick("binance", "64900")],
      [tick("binance", "65000")],
    );
    expect(verdicts.map((v) => (v.trusted ? v.how : v.reason))).toEqual([
      "agreed",
      "jump",
      "jump",
      "jump",
      "jump-accepted",
    ]);
    expect(verdicts[4]).toMatchObject({ tick: { price: "65000" }, from: "50000" });
  });

  it("starts the time again when the sources stop confirming the new level", () => {
    const verdicts = rounds(
      { jumpAcceptMs: 2000 },
      start,
      [tick("binance", "65000")],
      [tick("binance", "80000")], // another jump from 65000: not a confirmation
      [tick("binance", "80000")],
      [tick("binance", "80000")],
    );
    expect(verdicts.map((v) => (v.trusted ? v.how : v.reason))).toEqual([
      "agreed",
      "jump",
      "jump",
      "jump",
      "jump-accepted",
    ]);
  });

  it("takes a jump a second source confirms at once, and a price near the reference as it comes", () => {
    const verdicts = rounds(
      {},
      start,
      [tick("binance", "50200")],
      [tick("binance", "65000"), tick("coinbase", "64000")],
    );
    expect(verdicts.map((v) => (v.trusted ? v.how : v.reason))).toEqual([
      "agreed",
      "reference",
      "jump-confirmed",
    ]);
    expect(verdicts[2]).toMatchObject({ from: "50200", confirmedBy: ["coinbase"] });
  });

  it("re-arms the first-price rule after a gap longer than MAX_PRICE_AGE_SECONDS", () => {
    const rules = parseTrustRules({ confirmations: 2, maxGapMs: 30_000 });
    const first = judgeRound({}, start, T0, rules);
    expect(first.verdict.trusted).toBe(true);
    // Within the gap: a lone source near the reference is taken as it comes.
    const soon = judgeRound(first.state, [tick("binance", "50100")], T0 + 30_000, rules);
    expect(soon.verdict).toMatchObject({ trusted: true, how: "reference" });
    // After it, the same lone price is a first price again: it must hold.
    const late = judgeRound(soon.state, [tick("binance", "50100")], T0 + 60_001, rules);
    expect(late.verdict).toMatchObject({ trusted: false, reason: "unconfirmed" });
    const held = judgeRound(late.state, [tick("binance", "50100")], T0 + 61_001, rules);
    expect(held.verdict).toMatchObject({ trusted: true, how: "held" });
  });

  it("a median of two sources counts as two agreeing", () => {
    const median: Observation = {
      tick: {
        symbol: "BTC-USDT",
        price: "50000",
        source: "median(a,b)",
        receivedAt: T0,
      } as PriceTick,
      backers: ["a", "b"],
    };
    const [verdict] = rounds({}, [median]);
    expect(verdict).toMatchObject({ trusted: true, how: "agreed", confirmedBy: ["b"] });
  });
});
