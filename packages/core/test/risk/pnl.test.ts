import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  applyFill,
  averageCost,
  EMPTY_PNL,
  eq,
  fillFee,
  formatDecimal,
  mul,
  type PnlFill,
  type PnlState,
  parseDecimal,
  sub,
  sumPnl,
  unrealized,
  ZERO,
} from "../../src/index.ts";

const run = (fills: readonly PnlFill[], from: PnlState = EMPTY_PNL) =>
  fills.reduce(applyFill, from);
/** Pads to cents and never rounds: a figure with more digits fails the comparison. */
const cents = (value: string | ReturnType<typeof unrealized>) =>
  formatDecimal(typeof value === "string" ? parseDecimal(value) : value, 2);

describe("P&L by average cost", () => {
  it("long, partial close, flip through zero, short, close: to the cent", () => {
    let state = run([
      { side: "buy", price: "100", quantity: "1" },
      { side: "buy", price: "110", quantity: "1" },
    ]);
    expect(state.position).toBe("2");
    expect(formatDecimal(averageCost(state)!)).toBe("105");
    expect(cents(unrealized(state, "120"))).toBe("30.00");

    state = applyFill(state, { side: "sell", price: "120", quantity: "1" });
    expect(state.position).toBe("1");
    expect(cents(state.realized)).toBe("15.00");

    // Sells 3 at 90: closes the 1 left (−15), then opens a short of 2 at 90.
    state = applyFill(state, { side: "sell", price: "90", quantity: "3" });
    expect(state.position).toBe("-2");
    expect(cents(state.realized)).toBe("0.00");
    expect(formatDecimal(averageCost(state)!)).toBe("90");
    expect(cents(unrealized(state, "80"))).toBe("20.00");

    state = applyFill(state, { side: "buy", price: "85", quantity: "2" });
    expect(state.position).toBe("0");
    expect(cents(state.realized)).toBe("10.00");
    expect(cents(unrealized(state, "1"))).toBe("0.00");
    expect(state.fills).toBe(5);
    expect(cents(state.volume)).toBe("770.00");
  });

  it("subtracts maker fees in basis points of the notional", () => {
    const fills: PnlFill[] = [
      { side: "buy", price: "100", quantity: "1", feeBps: "10" },
      { side: "buy", price: "110", quantity: "1", feeBps: "10" },
      { side: "sell", price: "120", quantity: "1", feeBps: "10" },
      { side: "sell", price: "90", quantity: "3", feeBps: "10" },
      { side: "buy", price: "85", quantity: "2", feeBps: "10" },
    ];
    const state = run(fills);
    // 0.100 + 0.110 + 0.120 + 0.270 + 0.170
    expect(cents(state.fees)).toBe("0.77");
    expect(cents(state.realized)).toBe("9.23");
    expect(formatDecimal(fillFee("27123.45", "0.013", "2.5"))).toBe("0.0881512125");
    // A fee already known as an amount wins over the rate.
    const charged = applyFill(EMPTY_PNL, {
      side: "buy",
      price: "100",
      quantity: "1",
      feeBps: "10",
      fee: "0.3",
    });
    expect(charged.fees).toBe("0.3");
    expect(charged.realized).toBe("-0.3");
  });

  it("a short on its own: profit when the price falls", () => {
    let state = run([
      { side: "sell", price: "2000.5", quantity: "0.5" },
      { side: "sell", price: "2001.5", quantity: "0.5" },
    ]);
    expect(state.position).toBe("-1");
    expect(formatDecimal(averageCost(state)!)).toBe("2001");
    expect(cents(unrealized(state, "1990.25"))).toBe("10.75");
    state = applyFill(state, { side: "buy", price: "1995", quantity: "0.25" });
    expect(cents(state.realized)).toBe("1.50");
    expect(state.position).toBe("-0.75");
  });

  it("keeps a non-terminating average exact across partial closes: flat means Σ cash exactly", () => {
    let state = run([
      { side: "buy", price: "100", quantity: "1" },
      { side: "buy", price: "101", quantity: "2" },
    ]);
    state = applyFill(state, { side: "sell", price: "102", quantity: "1" });
    expect(state.realized).toBe("1.333333333333333334");
    state = applyFill(state, { side: "sell", price: "102", quantity: "2" });
    expect(state.realized).toBe("4");
    expect(state.costBasis).toBe("0");
  });

  it("refuses a fill without a positive price and quantity or a side, naming the field", () => {
    expect(() => applyFill(EMPTY_PNL, { side: "buy", price: "0", quantity: "1" })).toThrow(
      /price must be > 0, got "0"/,
    );
    expect(() => applyFill(EMPTY_PNL, { side: "buy", price: "1", quantity: "-1" })).toThrow(
      /quantity must be > 0/,
    );
    expect(() =>
      applyFill(EMPTY_PNL, { side: "hold" as "buy", price: "1", quantity: "1" }),
    ).toThrow(/side must be buy or sell/);
  });

  it("totals across symbols sum every field", () => {
    const a = run([{ side: "buy", price: "10", quantity: "1" }]);
    const b = run([
      { side: "sell", price: "20", quantity: "2" },
      { side: "buy", price: "19", quantity: "2" },
    ]);
    const total = sumPnl([a, b]);
    expect(total.realized).toBe("2");
    expect(total.volume).toBe("88");
    expect(total.fills).toBe(3);
  });

  it("realized + unrealized is always Σ cash flows + position × mark, exactly (property)", () => {
    const fill = fc.record({
      side: fc.constantFrom("buy" as const, "sell" as const),
      price: fc
        .integer({ min: 1, max: 10_000_000 })
        .map((units) => formatDecimal({ units: BigInt(units), scale: 2 })),
      quantity: fc
        .integer({ min: 1, max: 5_000 })
        .map((units) => formatDecimal({ units: BigInt(units), scale: 3 })),
      feeBps: fc.constantFrom("0", "1", "2.5", "-0.5"),
    });
    fc.assert(
      fc.property(
        fc.array(fill, { maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (fills, markUnits) => {
          const mark = formatDecimal({ units: BigInt(markUnits), scale: 2 });
          const state = run(fills);
          let cash = ZERO;
          let position = ZERO;
          for (const item of fills) {
            const notional = mul(parseDecimal(item.price), parseDecimal(item.quantity));
            cash = item.side === "buy" ? sub(cash, notional) : add(cash, notional);
            cash = sub(cash, fillFee(item.price, item.quantity, item.feeBps));
            position =
              item.side === "buy"
                ? add(position, parseDecimal(item.quantity))
                : sub(position, parseDecimal(item.quantity));
          }
          expect(eq(parseDecimal(state.position), position)).toBe(true);
          const total = add(parseDecimal(state.realized), unrealized(state, mark));
          expect(eq(total, add(cash, mul(position, parseDecimal(mark))))).toBe(true);
          if (position.units === 0n) expect(eq(parseDecimal(state.realized), cash)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
