/**
 * The ledger report: per symbol, the fills and volume of a period, the position at its
 * end, realized P&L earned in it and unrealized P&L at a mark. Pure; the command is
 * `report-command.ts`.
 *
 * Realized P&L of a period needs the average cost built by the fills before it, so
 * every fill of the symbol is replayed and the period's share is the realized P&L at
 * its end minus that at its start.
 */
import {
  abs,
  add,
  applyFill,
  type Decimal,
  EMPTY_PNL,
  formatDecimal,
  mul,
  neg,
  normalize,
  type PnlState,
  parseDecimal,
  quantize,
  sign,
  sub,
  unrealized,
  ZERO,
} from "@matchingo-mm/core";
import type { FillRecord } from "./ledger.ts";

export interface ReportPeriod {
  /** ms since the epoch, inclusive; absent: from the first fill. */
  readonly since?: number;
  /** ms since the epoch, exclusive; absent: to the last fill. */
  readonly until?: number;
}

export interface SymbolReport {
  readonly symbol: string;
  /** Fills in the period. */
  readonly fills: number;
  readonly buys: number;
  readonly sells: number;
  /** Base units traded in the period. */
  readonly baseVolume: string;
  /** Quote notional traded in the period. */
  readonly volume: string;
  /** Position at the end of the period. */
  readonly position: string;
  readonly realized: string;
  readonly fees: string;
  /** Price the open position is marked at; absent when flat and no fill gave one. */
  readonly mark?: string;
  /** Whether the mark came from `--mark` or the last fill's price. */
  readonly markSource?: "given" | "last fill";
  readonly unrealized: string;
}

export interface QuoteTotal {
  /** Quote currency (the part after the dash). */
  readonly quote: string;
  readonly fills: number;
  readonly volume: string;
  readonly realized: string;
  readonly fees: string;
  readonly unrealized: string;
}

export interface Report {
  readonly period: ReportPeriod;
  readonly symbols: readonly SymbolReport[];
  /** One per quote currency: figures in different currencies are not added. */
  readonly totals: readonly QuoteTotal[];
}

const show = (value: Decimal) => formatDecimal(normalize(value));
const d = parseDecimal;

/** `fills` are every fill of the ledger in recording order (the period is applied here). */
export function buildReport(
  fills: readonly FillRecord[],
  period: ReportPeriod = {},
  marks: Readonly<Record<string, string>> = {},
): Report {
  const bySymbol = new Map<string, FillRecord[]>();
  for (const fill of fills) {
    if (period.until !== undefined && fill.time >= period.until) continue;
    const list = bySymbol.get(fill.symbol) ?? [];
    list.push(fill);
    bySymbol.set(fill.symbol, list);
  }
  const symbols: SymbolReport[] = [];
  for (const symbol of [...bySymbol.keys()].sort()) {
    let state: PnlState = EMPTY_PNL;
    let atStart: PnlState = EMPTY_PNL;
    let count = 0;
    let buys = 0;
    let baseVolume = ZERO;
    let volume = ZERO;
    let lastPrice: string | undefined;
    for (const fill of bySymbol.get(symbol)!) {
      const inPeriod = period.since === undefined || fill.time >= period.since;
      state = applyFill(state, fill);
      lastPrice = fill.price;
      if (!inPeriod) {
        atStart = state;
        continue;
      }
      count++;
      if (fill.side === "buy") buys++;
      baseVolume = add(baseVolume, d(fill.quantity));
      volume = add(volume, mul(d(fill.price), d(fill.quantity)));
    }
    const given = marks[symbol];
    const mark = given ?? lastPrice;
    symbols.push({
      symbol,
      fills: count,
      buys,
      sells: count - buys,
      baseVolume: show(baseVolume),
      volume: show(volume),
      position: state.position,
      realized: show(sub(d(state.realized), d(atStart.realized))),
      fees: show(sub(d(state.fees), d(atStart.fees))),
      ...(mark === undefined
        ? {}
        : { mark, markSource: given === undefined ? "last fill" : "given" }),
      unrealized: mark === undefined ? "0" : show(unrealized(state, mark)),
    });
  }
  return { period, symbols, totals: totalsByQuote(symbols) };
}

function totalsByQuote(symbols: readonly SymbolReport[]): QuoteTotal[] {
  const totals = new Map<string, QuoteTotal>();
  for (const row of symbols) {
    const quote = row.symbol.split("-")[1] ?? row.symbol;
    const total = totals.get(quote) ?? {
      quote,
      fills: 0,
      volume: "0",
      realized: "0",
      fees: "0",
      unrealized: "0",
    };
    totals.set(quote, {
      quote,
      fills: total.fills + row.fills,
      volume: show(add(d(total.volume), d(row.volume))),
      realized: show(add(d(total.realized), d(row.realized))),
      fees: show(add(d(total.fees), d(row.fees))),
      unrealized: show(add(d(total.unrealized), d(row.unrealized))),
    });
  }
  return [...totals.values()].sort((a, b) => a.quote.localeCompare(b.quote));
}

/** To the cent, half away from zero (display only; the ledger keeps every digit). */
export function cents(text: string): string {
  const value = d(text);
  const rounded = quantize(add(abs(value), d("0.005")), d("0.01"), "down");
  return formatDecimal(sign(value) < 0 ? neg(rounded) : rounded, 2);
}

/** The report as an aligned text table; money to the cent, positions and prices exact. */
export function formatReport(report: Report): string {
  const header = [
    "symbol",
    "fills",
    "buys",
    "sells",
    "base volume",
    "volume",
    "position",
    "mark",
    "realized",
    "unrealized",
    "fees",
  ];
  const rows = report.symbols.map((row) => [
    row.symbol,
    String(row.fills),
    String(row.buys),
    String(row.sells),
    row.baseVolume,
    cents(row.volume),
    row.position,
    row.mark === undefined ? "—" : `${row.mark}${row.markSource === "last fill" ? "*" : ""}`,
    cents(row.realized),
    cents(row.unrealized),
    cents(row.fees),
  ]);
  const totals = report.totals.map((total) => [
    `TOTAL ${total.quote}`,
    String(total.fills),
    "",
    "",
    "",
    cents(total.volume),
    "",
    "",
    cents(total.realized),
    cents(total.unrealized),
    cents(total.fees),
  ]);
  const table = [header, ...rows, ...totals];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  const from =
    report.period.since === undefined
      ? "the first fill"
      : new Date(report.period.since).toISOString();
  const to =
    report.period.until === undefined ? "now" : new Date(report.period.until).toISOString();
  const lines = [`Fills from ${from} to ${to}; position at the end, realized P&L of the period.`];
  if (report.symbols.length === 0) {
    lines.push("No fills.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(line(header), ...rows.map(line), ...totals.map(line));
  if (report.symbols.some((row) => row.markSource === "last fill")) {
    lines.push("* marked at the last fill price (give --mark SYMBOL=PRICE for another)");
  }
  return `${lines.join("\n")}\n`;
}

const CSV_HEADER = "seq,time,symbol,order_id,side,price,quantity,fee,source";

/** The fills of the period as CSV (time in ISO 8601 UTC). */
export function fillsCsv(fills: readonly FillRecord[]): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = fills.map((fill) =>
    [
      String(fill.seq),
      new Date(fill.time).toISOString(),
      fill.symbol,
      fill.orderId,
      fill.side,
      fill.price,
      fill.quantity,
      fill.fee,
      fill.source,
    ]
      .map(quote)
      .join(","),
  );
  return `${[CSV_HEADER, ...lines].join("\n")}\n`;
}
