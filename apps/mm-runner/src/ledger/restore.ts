import type { Logger } from "pino";
import type { RunnerConfig } from "../config/types.ts";
import type { Ledger } from "./ledger.ts";

/**
 * At start, before any worker: with RESUME=1 lifts the kill switch's halts kept in the
 * ledger, then says per symbol what the ledger restores (position, realized P&L, fills)
 * and which symbols stay halted.
 */
export function restoreFromLedger(config: RunnerConfig, ledger: Ledger, logger: Logger): void {
  for (const { symbol } of config.symbols) {
    const log = logger.child({ symbol });
    const halt = ledger.halted(symbol);
    if (halt && config.resume) {
      ledger.resume(symbol);
      log.warn(
        { reason: halt.reason, since: halt.since },
        `RESUME=1: lifted the halt of ${symbol} (${halt.reason}); quoting again`,
      );
    } else if (halt) {
      log.warn(
        { reason: halt.reason, since: halt.since },
        `${symbol} stays halted (${halt.reason}); its quotes stay pulled until an operator resumes it or a restart with RESUME=1`,
      );
    }
    const pnl = ledger.pnl(symbol);
    log.info(
      {
        position: pnl.position,
        realized: pnl.realized,
        fees: pnl.fees,
        fills: pnl.fills,
        ledger: ledger.path,
      },
      `restored from the ledger: ${symbol} position ${pnl.position}, realized P&L ${pnl.realized}, ${pnl.fills} fills`,
    );
  }
}
