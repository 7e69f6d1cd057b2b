import {
  add,
  formatDecimal,
  type MarketMakerEvent,
  normalize,
  type PnlState,
  parseDecimal,
  type RestoredPnl,
  ZERO,
} from "@matchingo-mm/core";
import { type Ledger, openLedger } from "../ledger/ledger.ts";
import type { FromWorker } from "./protocol.ts";
import { toWireError } from "./wire-error.ts";

/** One worker's side of the ledger: what it starts from and what it writes as it goes. */
export interface WorkerLedger {
  /** Position and P&L of the symbol as the ledger has them (exactly, from its fills). */
  readonly restored: RestoredPnl;
  /** The kill switch's reason when the symbol is halted (kept across restarts). */
  readonly halted?: string;
  /**
   * Books what the market maker reports, synchronously, before the event goes anywhere
   * else: every fill, a halt, the resume that lifts it.
   */
  onEvent(event: MarketMakerEvent): void;
  close(): void;
}

/**
 * Opens the runner's ledger for one symbol's worker: its own connection (WAL, writers wait
 * for each other up to the busy timeout), the symbol's restored state, and the writes.
 * A write that fails is reported as an error log line: quoting goes on, the position in
 * memory stays right, and the ledger misses that fill (the log says which).
 */
export function openWorkerLedger(
  path: string,
  symbol: string,
  post: (message: FromWorker) => void,
): WorkerLedger {
  const ledger: Ledger = openLedger(path, { busyTimeoutMs: 10_000 });
  const { symbol: _symbol, ...pnl } = ledger.pnl(symbol);
  let baseVolume = ZERO;
  for (const fill of ledger.fills({ symbol })) {
    baseVolume = add(baseVolume, parseDecimal(fill.quantity));
  }
  const restored: RestoredPnl = {
    pnl: pnl as PnlState,
    baseVolume: formatDecimal(normalize(baseVolume)),
  };
  const halted = ledger.halted(symbol)?.reason;

  const failed = (what: string, error: unknown, fields: Record<string, unknown>) =>
    post({
      type: "log",
      level: "error",
      msg: `ledger: ${what}`,
      fields,
      error: toWireError(error),
    });

  return {
    restored,
    ...(halted === undefined ? {} : { halted }),
    onEvent(event) {
      switch (event.type) {
        case "fill":
          try {
            ledger.recordFill({
              orderId: event.orderId,
              symbol,
              side: event.side,
              price: event.price,
              quantity: event.quantity,
              fee: event.fee,
              time: event.time,
              source: event.via,
            });
          } catch (error) {
            failed("could not record a fill", error, {
              orderId: event.orderId,
              side: event.side,
              price: event.price,
              quantity: event.quantity,
            });
          }
          return;
        case "halted":
          try {
            ledger.halt(symbol, event.reason, event.time);
          } catch (error) {
            failed("could not record the halt", error, { reason: event.reason });
          }
          return;
        case "resumed":
          try {
            ledger.resume(symbol);
          } catch (error) {
            failed("could not lift the halt", error, {});
          }
          return;
        default:
          return;
      }
    },
    close: () => ledger.close(),
  };
}
