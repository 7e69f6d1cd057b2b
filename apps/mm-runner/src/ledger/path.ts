import { join } from "node:path";
import { runnerStateDir } from "../journal/files.ts";

/** `STATE_DIR/<MARKET_MAKER_ID>/ledger.sqlite`: beside the journals, under the same lock. */
export function ledgerPath(stateDir: string, runnerId: string): string {
  return join(runnerStateDir(stateDir, runnerId), "ledger.sqlite");
}
