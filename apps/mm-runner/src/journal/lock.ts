import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ensureDir } from "./files.ts";

export interface StateLock {
  readonly path: string;
  release(): void;
}

/** Another live runner holds the state folder. */
export class LockedError extends Error {
  override readonly name = "LockedError";
  readonly dir: string;
  /** The holder's pid as it wrote it (information only: never used to decide). */
  readonly pid: number | undefined;
  constructor(dir: string, holder: Holder | undefined, options?: ErrorOptions) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}`
      : "holder unknown";
    super(
      `another mm-runner holds the state folder ${dir} (${who}); two runners must not share a MARKET_MAKER_ID and STATE_DIR`,
      options,
    );
    this.dir = dir;
    this.pid = holder?.pid;
  }
}

export interface LockOptions {
  /** How long to wait for a holder that is dying (its lock goes with its last breath). */
  readonly waitMs?: number;
  readonly pid?: number;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

const LOCK_DB = "lock.db";
const HOLDER_FILE = "lock.holder.json";
/** The pid file of earlier versions: ignored, removed once we hold the lock. */
const OLD_PID_FILE = "lock";

/**
 * Takes the runner's state folder for this process with a lock the kernel releases when
 * the process dies, however it dies: SQLite's exclusive locking mode on `lock.db` keeps a
 * POSIX (fcntl) write lock on the file for as long as the connection is open. No pid is
 * ever checked, so a zombie, a reused pid or a stale file cannot block a start; a live
 * holder always does.
 */
export function acquireLock(dir: string, options: LockOptions = {}): StateLock {
  ensureDir(dir);
  const path = join(dir, LOCK_DB);
  const db = new Database(path, { timeout: options.waitMs ?? 1000 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    // The first write takes the EXCLUSIVE lock; in this mode it is never given back.
    db.exec("CREATE TABLE IF NOT EXISTS held (at TEXT NOT NULL)");
    db.prepare("INSERT INTO held (at) VALUES (?)").run(new Date().toISOString());
    db.exec("DELETE FROM held");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") {
      throw new LockedError(dir, readHolder(dir), { cause: error });
    }
    throw new Error(`could not take the state lock ${path}`, { cause: error });
  }
  const holder: Holder = {
    pid: options.pid ?? process.pid,
    host: hostname(),
    since: new Date().toISOString(),
  };
  writeFileSync(join(dir, HOLDER_FILE), `${JSON.stringify(holder)}\n`);
  rmSync(join(dir, OLD_PID_FILE), { force: true });
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      rmSync(join(dir, HOLDER_FILE), { force: true });
      db.close();
    },
  };
}

function readHolder(dir: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(join(dir, HOLDER_FILE), "utf8")) as Partial<Holder>;
    if (typeof value.pid !== "number") return undefined;
    return { pid: value.pid, host: String(value.host), since: String(value.since) };
  } catch {
    return undefined;
  }
}
