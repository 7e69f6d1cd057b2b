import { boolean, path } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The book at start, and what is kept across restarts. */
export const STATE_SETTINGS = {
  createOrderBook: {
    schema: boolean,
    env: "CREATE_ORDER_BOOK",
    scope: "runner",
    default: "true",
    help: "Create the book on the venue when it does not exist (else: refuse to start).",
  },
  stateDir: {
    schema: path,
    env: "STATE_DIR",
    scope: "runner",
    help: "Folder of the order journal, lock and ledger. Keep it across restarts. Not set: `$XDG_STATE_HOME/matchingo-mm`, else `~/.local/state/matchingo-mm`, whatever the working directory (shown at start and by `--print-config`).",
  },
  resume: {
    schema: boolean,
    env: "RESUME",
    scope: "runner",
    default: "false",
    help: "At start, resume the symbols the loss kill switch halted (kept in the ledger across restarts).",
  },
} as const satisfies SettingTable;
