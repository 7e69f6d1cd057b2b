import { join } from "node:path";
import { runnerStateDir } from "../journal/files.ts";

/** `STATE_DIR/<MARKET_MAKER_ID>/ledger.sqlite`: beside the journals, under the same lock. */
export function ledgerPath(stateDir: string, runnerId: string): string {
  return ledgerFile(runnerStateDir(stateDir, runnerId));
}

/** The ledger in a runner's own state folder (`runnerStateDir`). */
export function ledgerFile(runnerDir: string): string {
  return join(runnerDir, "ledger.sqlite");
}
