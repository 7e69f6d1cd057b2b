import type { CallOptions, Clock, PriceTick } from "@matchingo-mm/core";
import { PriceError, systemClock } from "@matchingo-mm/core";
import { checkPrice } from "../../guards.ts";
import { latestOf, type PriceSource, type TickResults, uniqueSymbols } from "../../source.ts";
import { parseTape, type TapeEntry, type TapeFormat } from "./tape.ts";

export interface ReplayOptions {
  /** The tape's text (see `parseTape`). */
  readonly tape: string;
  readonly format: TapeFormat;
  /**
   * `sequential` (default): each fetch answers a symbol's next line. `time`: the last line
   * at or before the clock's now, with the line's time as `exchangeTime`.
   */
  readonly mode?: "sequential" | "time";
  /** Sequential mode: start over at the end instead of failing. Default false. */
  readonly loop?: boolean;
  readonly clock?: Clock;
  /** `tick.source`. Default `replay`. */
  readonly name?: string;
}

/**
 * Answers prices from a recorded tape. Bad prices on the tape come out as the same typed
 * errors an exchange's would, so tapes can exercise the guards. Never a silent fallback.
 */
export function replay(options: ReplayOptions): PriceSource {
  const name = options.name ?? "replay";
  const clock = options.clock ?? systemClock;
  const mode = options.mode ?? "sequential";
  if (mode !== "sequential" && mode !== "time") {
    throw new TypeError(`replay: mode must be "sequential" or "time", got ${JSON.stringify(mode)}`);
  }
  const entries = parseTape(options.tape, options.format);
  const untagged = entries.filter((entry) => entry.symbol === undefined);
  const byTime = (a: TapeEntry, b: TapeEntry) => a.time - b.time;
  const series = new Map<string, TapeEntry[]>();
  const cursors = new Map<string, number>();

  function seriesOf(symbol: string): TapeEntry[] {
    let found = series.get(symbol);
    if (!found) {
      const tagged = entries.filter((entry) => entry.symbol === symbol);
      found = tagged.length > 0 ? tagged : untagged;
      if (mode === "time") found = [...found].sort(byTime);
      series.set(symbol, found);
    }
    return found;
  }

  function fail(symbol: string, kind: "unknown-symbol" | "stale", message: string): PriceError {
    return new PriceError(`${name}: ${message}`, { kind, source: name, symbol });
  }

  function nextEntry(symbol: string, list: TapeEntry[]): TapeEntry | PriceError {
    if (mode === "time") {
      const now = clock.now();
      let found: TapeEntry | undefined;
      for (const entry of list) {
        if (entry.time > now) break;
        found = entry;
      }
      return (
        found ??
        fail(symbol, "unknown-symbol", `the tape has no ${symbol} price at or before ${now}`)
      );
    }
    let cursor = cursors.get(symbol) ?? 0;
    if (cursor >= list.length) {
      if (!options.loop) {
        return fail(symbol, "stale", `the tape ran out after ${list.length} ${symbol} prices`);
      }
      cursor = 0;
    }
    cursors.set(symbol, cursor + 1);
    return list[cursor]!;
  }

  function toTick(symbol: string, entry: TapeEntry): PriceTick | PriceError {
    try {
      const price = checkPrice(entry.price, `price on line ${entry.line}`, {
        source: name,
        symbol,
      });
      return {
        symbol,
        price,
        ...(mode === "time" ? { exchangeTime: entry.time } : {}),
        receivedAt: clock.now(),
        source: name,
      };
    } catch (error) {
      if (error instanceof PriceError) return error;
      throw error;
    }
  }

  async function fetchTicks(symbols: readonly string[], _options?: CallOptions) {
    const results: TickResults = new Map();
    for (const symbol of uniqueSymbols(symbols)) {
      const list = seriesOf(symbol);
      if (list.length === 0) {
        results.set(symbol, fail(symbol, "unknown-symbol", `the tape has no prices for ${symbol}`));
        continue;
      }
      const entry = nextEntry(symbol, list);
      results.set(symbol, entry instanceof PriceError ? entry : toTick(symbol, entry));
    }
    return results;
  }

  return { name, fetchTicks, latest: latestOf(fetchTicks) };
}
