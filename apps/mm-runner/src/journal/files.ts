import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { entryLine, type OpenEntry, type ParsedJournal, parseJournal } from "./entries.ts";
import { fsReason, StateDirError } from "./state-dir-error.ts";

/**
 * Layout of a runner's state: `STATE_DIR/<MARKET_MAKER_ID>/` holds `lock.db` (see lock.ts) and one
 * journal per book (`<book>.journal`), each written by one worker thread only, so no two
 * threads ever append to or compact the same file.
 */
export function runnerStateDir(stateDir: string, runnerId: string): string {
  return join(stateDir, runnerId);
}

export function journalPath(dir: string, book: string): string {
  return join(dir, `${encodeURIComponent(book)}.journal`);
}

/**
 * The runner's state folder, created if need be and checked writable, or a
 * `StateDirError` naming the folder and why it cannot be used (rather than SQLite's
 * "unable to open database file" later).
 */
export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // A recursive mkdir may say ENOENT for a parent it could not create: name the folder
    // that refused.
    const blocker = nearestExisting(dir);
    const why =
      blocker !== undefined && blocker !== dir && !writable(blocker)
        ? `${blocker} is not writable (${(error as NodeJS.ErrnoException).code ?? "error"})`
        : fsReason(error);
    throw new StateDirError(dir, `cannot create the state folder (STATE_DIR): ${why}`, {
      cause: error,
    });
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StateDirError(
      dir,
      `the state folder (STATE_DIR) is not writable: ${fsReason(error)}`,
      {
        cause: error,
      },
    );
  }
}

export function readJournalFile(path: string): ParsedJournal {
  if (!existsSync(path)) return parseJournal("");
  return parseJournal(readFileSync(path, "utf8"));
}

function nearestExisting(path: string): string | undefined {
  for (let at = path; ; at = dirname(at)) {
    if (existsSync(at)) return at;
    if (dirname(at) === at) return undefined;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every journal in the runner's folder, including books no longer configured. */
export function listJournalFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".journal"))
    .map((name) => join(dir, name));
}

/**
 * Replaces a journal by just the entries still open, atomically (write, fsync, rename,
 * fsync the folder); removes it when nothing is open.
 */
export function rewriteJournal(path: string, open: Iterable<OpenEntry>): void {
  const lines = [...open].map(entryLine).join("");
  if (lines === "") {
    if (existsSync(path)) unlinkSync(path);
    syncDir(join(path, ".."));
    return;
  }
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, lines);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDir(join(path, ".."));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a folder; the rename itself is still atomic.
  }
}
