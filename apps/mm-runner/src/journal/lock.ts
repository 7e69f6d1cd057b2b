import { readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { ensureStateDir } from "./files.ts";
import { holdDatabase } from "./held-database.ts";
import {
  acquireHostLock,
  type Holder,
  type HostLock,
  type HostLockKind,
  parseHolder,
} from "./host-lock.ts";
import { fsReason, StateDirError } from "./state-dir-error.ts";

export type { Holder, HostLockKind } from "./host-lock.ts";

export interface StateLock {
  /** `lock.db` in the state folder. */
  readonly path: string;
  /** The folder's second lock, outside it (see host-lock.ts). */
  readonly host: HostLock;
  /** The folder and lock file as they were when taken: the state watch compares with these. */
  readonly identity: { readonly dir: FileIdentity; readonly lockFile: FileIdentity };
  release(): void;
}

export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
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
  /** Where the lock outside the folder lives; default: an abstract socket on Linux. */
  readonly hostLock?: HostLockKind;
}

const LOCK_DB = "lock.db";
const HOLDER_FILE = "lock.holder.json";
/** The pid file of earlier versions: ignored, removed once we hold the lock. */
const OLD_PID_FILE = "lock";

/**
 * Takes the runner's state folder for this process with two locks the kernel releases
 * when the process dies, however it dies; no pid is ever checked, so a zombie, a reused
 * pid or a stale file cannot block a start, and a live holder always does.
 *
 * 1. Outside the folder, keyed by its real path (host-lock.ts): deleting, moving or
 *    replacing the folder cannot free it. A POSIX lock belongs to a file's inode, so
 *    `lock.db` alone was defeated by `rm -rf STATE_DIR`: the next runner created a new
 *    `lock.db` and locked that.
 * 2. `lock.db` in the folder, in SQLite's exclusive locking mode (a POSIX write lock held
 *    while the connection is open): it also holds across machines or containers that
 *    share the folder but not a network namespace or a /tmp.
 */
export async function acquireLock(dir: string, options: LockOptions = {}): Promise<StateLock> {
  ensureStateDir(dir);
  const holder: Holder = {
    pid: options.pid ?? process.pid,
    host: hostname(),
    since: new Date().toISOString(),
  };
  const attempt = await acquireHostLock(realpathSync(dir), holder, options.hostLock);
  if (!attempt.ok) throw new LockedError(dir, attempt.holder ?? readHolder(dir));
  const host = attempt.lock;

  const path = join(dir, LOCK_DB);
  let held: ReturnType<typeof holdDatabase>;
  try {
    held = holdDatabase(path, options.waitMs ?? 1000);
  } catch (error) {
    host.release();
    throw new StateDirError(path, `cannot take the state lock: ${sqliteReason(error)}`, {
      cause: error,
    });
  }
  if (held === "busy") {
    host.release();
    throw new LockedError(dir, readHolder(dir));
  }
  const database = held;
  try {
    writeFileSync(join(dir, HOLDER_FILE), `${JSON.stringify(holder)}\n`);
    rmSync(join(dir, OLD_PID_FILE), { force: true });
  } catch (error) {
    database.release();
    host.release();
    throw new StateDirError(dir, `cannot write in the state folder: ${fsReason(error)}`, {
      cause: error,
    });
  }
  let released = false;
  return {
    path,
    host,
    identity: { dir: identityOf(dir), lockFile: identityOf(path) },
    release() {
      if (released) return;
      released = true;
      rmSync(join(dir, HOLDER_FILE), { force: true });
      database.release();
      host.release();
    },
  };
}

export function identityOf(path: string): FileIdentity {
  const { dev, ino } = statSync(path);
  return { dev, ino };
}

function sqliteReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${message} (${code})` : String(message);
}

function readHolder(dir: string): Holder | undefined {
  try {
    return parseHolder(readFileSync(join(dir, HOLDER_FILE), "utf8"));
  } catch {
    return undefined;
  }
}
