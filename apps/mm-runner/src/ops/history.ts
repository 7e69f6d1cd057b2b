import type { FillMark, RunnerStatus } from "../status/runner-status.ts";

/** One symbol's recent past, column by column (what uPlot draws), oldest first. */
export interface SymbolHistory {
  /** Seconds since the epoch. */
  readonly t: number[];
  /** Display numbers (charts only; the decimal strings stay in `/status`). `null`: none then. */
  readonly price: (number | null)[];
  readonly bid: (number | null)[];
  readonly ask: (number | null)[];
  readonly position: (number | null)[];
  readonly pnl: (number | null)[];
  readonly fills: FillMark[];
}

/** The process's memory over time, bytes, column by column, oldest first (issue 26). */
export interface MemoryHistory {
  /** Seconds since the epoch. */
  readonly t: number[];
  readonly rss: number[];
  /** The main thread's V8 heap in use. */
  readonly mainHeap: number[];
  /** Every worker's V8 heap in use, added up. */
  readonly workersHeap: number[];
  /** The main isolate's external memory (buffers, sockets). */
  readonly external: number[];
}

export interface StatusHistory {
  /** Adds one sample per symbol from a status snapshot (and one of memory, at its own pace). */
  record(status: RunnerStatus): void;
  /** Every symbol's history, or one symbol's (empty object when unknown). */
  read(symbol?: string): Record<string, SymbolHistory>;
  /** The memory samples kept (`GET /history/memory`). */
  readMemory(): MemoryHistory;
}

export interface StatusHistoryOptions {
  /** Samples kept per symbol. Default 600 (ten minutes at one a second). */
  readonly samples?: number;
  /** Fill markers kept per symbol. Default 200. */
  readonly fills?: number;
  /** Memory samples kept. Default 720 (two hours at one every 10 s). */
  readonly memorySamples?: number;
  /** Seconds between two memory samples. Default 10: memory moves slowly, over hours. */
  readonly memoryEverySeconds?: number;
}

/**
 * A bounded ring per symbol of the numbers the page charts, fed from the status snapshots
 * the main thread already has: memory stays `symbols × samples` whatever the uptime.
 */
export function createStatusHistory(options: StatusHistoryOptions = {}): StatusHistory {
  const samples = options.samples ?? 600;
  const fillLimit = options.fills ?? 200;
  const bySymbol = new Map<string, SymbolHistory & { lastFill: number }>();
  const memorySamples = options.memorySamples ?? 720;
  const memoryEvery = options.memoryEverySeconds ?? 10;
  const memory: MemoryHistory = { t: [], rss: [], mainHeap: [], workersHeap: [], external: [] };

  const recordMemory = (status: RunnerStatus, at: number): void => {
    const m = status.memory;
    if (m === undefined) return;
    const last = memory.t.at(-1);
    if (last !== undefined && at < last + memoryEvery) return;
    memory.t.push(at);
    memory.rss.push(m.rss);
    memory.mainHeap.push(m.main.used);
    memory.workersHeap.push(m.workersTotal.used);
    memory.external.push(m.external);
    if (memory.t.length > memorySamples) {
      const drop = memory.t.length - memorySamples;
      for (const column of Object.values(memory)) column.splice(0, drop);
    }
  };

  const display = (value: string | undefined): number | null => {
    if (value === undefined) return null;
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  };

  return {
    record(status) {
      const at = (status.now ?? Date.now()) / 1000;
      recordMemory(status, at);
      const present = new Set<string>();
      for (const s of status.symbols) {
        present.add(s.symbol);
        let history = bySymbol.get(s.symbol);
        if (history === undefined) {
          history = {
            t: [],
            price: [],
            bid: [],
            ask: [],
            position: [],
            pnl: [],
            fills: [],
            lastFill: 0,
          };
          bySymbol.set(s.symbol, history);
        }
        const last = history.t.at(-1);
        if (last !== undefined && at <= last) continue; // the same snapshot twice
        history.t.push(at);
        history.price.push(display(s.price?.value));
        history.bid.push(display(s.bids[0]?.price));
        history.ask.push(display(s.asks[0]?.price));
        history.position.push(display(s.position));
        history.pnl.push(display(s.pnl));
        if (history.t.length > samples) {
          for (const column of [
            history.t,
            history.price,
            history.bid,
            history.ask,
            history.position,
            history.pnl,
          ]) {
            column.shift();
          }
        }
        for (const fill of s.recentFills ?? []) {
          if (fill.seq <= history.lastFill) continue;
          history.fills.push(fill);
          history.lastFill = fill.seq;
        }
        if (history.fills.length > fillLimit)
          history.fills.splice(0, history.fills.length - fillLimit);
      }
      // A symbol no longer configured takes its memory with it.
      for (const symbol of bySymbol.keys()) if (!present.has(symbol)) bySymbol.delete(symbol);
    },
    readMemory() {
      return {
        t: [...memory.t],
        rss: [...memory.rss],
        mainHeap: [...memory.mainHeap],
        workersHeap: [...memory.workersHeap],
        external: [...memory.external],
      };
    },
    read(symbol) {
      const out: Record<string, SymbolHistory> = {};
      for (const [name, { lastFill: _, ...history }] of bySymbol) {
        if (symbol === undefined || symbol === name) out[name] = history;
      }
      return out;
    },
  };
}
