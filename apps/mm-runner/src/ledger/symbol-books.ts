import {
  add,
  formatDecimal,
  normalize,
  type PnlState,
  parseDecimal,
  type RestoredOrderFills,
  type RestoredPnl,
  ZERO,
} from "@matchingo-mm/core";
import type { WireMarketMakerEvent } from "../workers/wire/protocol.ts";
import type { Ledger } from "./ledger.ts";

/** What a symbol's worker starts from. */
export interface SymbolStart {
  /** Position and P&L as the ledger has them (exactly, from its fills). */
  readonly restored: RestoredPnl;
  /** The kill switch's reason when the symbol is halted (kept across restarts). */
  readonly halted?: string;
  /** Its recent orders' fills, so late stream fills of them are booked once. */
  readonly restoredOrders: RestoredOrderFills[];
}

/** A write the ledger refused: quoting goes on, the position in memory stays right. */
export interface LedgerWriteFailure {
  readonly symbol: string;
  readonly what: string;
  readonly error: unknown;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * The runner's ledger as the supervisor uses it, on the main thread's one connection:
 * where each worker starts from, and the booking of what the workers report.
 */
export interface SymbolBooks {
  start(symbol: string): SymbolStart;
  /**
   * Books a worker's event synchronously, before anything else hears of it: every fill,
   * a halt, the resume that lifts it. A refused write goes to `onFailure`, never throws.
   */
  record(symbol: string, event: WireMarketMakerEvent): void;
}

export function createSymbolBooks(
  ledger: Ledger,
  onFailure: (failure: LedgerWriteFailure) => void,
): SymbolBooks {
  const attempt = (
    symbol: string,
    what: string,
    fields: Record<string, unknown>,
    write: () => void,
  ) => {
    try {
      write();
    } catch (error) {
      onFailure({ symbol, what, error, fields });
    }
  };

  return {
    start(symbol) {
      const { symbol: _symbol, ...pnl } = ledger.pnl(symbol);
      let baseVolume = ZERO;
      for (const fill of ledger.fills({ symbol })) {
        baseVolume = add(baseVolume, parseDecimal(fill.quantity));
      }
      const halted = ledger.halted(symbol)?.reason;
      return {
        restored: { pnl: pnl as PnlState, baseVolume: formatDecimal(normalize(baseVolume)) },
        ...(halted === undefined ? {} : { halted }),
        restoredOrders: ledger.recentOrders(symbol),
      };
    },
    record(symbol, event) {
      switch (event.type) {
        case "fill": {
          const { orderId, side, price, quantity } = event;
          attempt(symbol, "could not record a fill", { orderId, side, price, quantity }, () =>
            ledger.recordFill({
              orderId,
              symbol,
              side,
              price,
              quantity,
              fee: event.fee,
              time: event.time,
              source: event.via,
              ...(event.key === undefined ? {} : { streamKey: event.key }),
            }),
          );
          return;
        }
        case "halted":
          attempt(symbol, "could not record the halt", { reason: event.reason }, () =>
            ledger.halt(symbol, event.reason, event.time),
          );
          return;
        case "resumed":
          attempt(symbol, "could not lift the halt", {}, () => ledger.resume(symbol));
          return;
        default:
          return;
      }
    },
  };
}
