import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { ensureDir } from "./files.ts";

export interface StateLock {
  readonly path: string;
  release(): void;
}

export class LockedError extends Error {
  override readonly name = "LockedError";
  readonly pid: number;
  constructor(message: string, pid: number) {
    super(message);
    this.pid = pid;
  }
}

/**
 * Takes the runner's state folder for this process (a pid file created exclusively).
 * A lock left by a process that is gone (SIGKILL, power loss) is taken over; a lock of a
 * live process means another runner with the same MARKET_MAKER_ID is running here.
 */
export function acquireLock(dir: string, pid = process.pid): StateLock {
  ensureDir(dir);
  const path = join(dir, "lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(
          fd,
          `${JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() })}\n`,
        );
      } finally {
        closeSync(fd);
      }
      return {
        path,
        release() {
          try {
            if (ownerOf(path) === pid) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(path);
    if (owner !== undefined && owner !== pid && isAlive(owner)) {
      throw new LockedError(
        `another mm-runner (pid ${owner}) holds ${path}; two runners must not share a MARKET_MAKER_ID and STATE_DIR`,
        owner,
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // Someone else took it over first; try again.
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(JSON.parse(readFileSync(path, "utf8")).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
