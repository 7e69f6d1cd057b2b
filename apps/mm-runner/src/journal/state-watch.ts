import { type FSWatcher, statSync, watch } from "node:fs";
import type { FileIdentity } from "./lock.ts";

export interface WatchedPath {
  readonly path: string;
  /** What it is, for the message: "state folder", "state lock", "ledger". */
  readonly what: string;
  /** As it was when the run took it. */
  readonly identity: FileIdentity;
}

export interface StateWatchOptions {
  /** The runner's state folder first: its changes are also watched with fs.watch. */
  readonly paths: readonly [WatchedPath, ...WatchedPath[]];
  /** How often every path is checked. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Called once, with a message naming the path and what happened to it. */
  readonly onLost: (message: string) => void;
}

export interface StateWatch {
  /** Checks at once; the message when something is lost (onLost is called too). */
  check(): string | undefined;
  stop(): void;
}

/**
 * Notices that the state folder or a file the run holds vanished or was replaced (deleted,
 * moved, restored from a backup...): the path no longer leads to the same inode. The run
 * then writes its journal and ledger into files nobody can read after it, and its lock into
 * one a second runner does not see, so it must stop. A check every `intervalMs`, and at
 * once on a rename or deletion fs.watch reports in the folder (not on every append).
 */
export function watchState(options: StateWatchOptions): StateWatch {
  let lost: string | undefined;
  const check = (): string | undefined => {
    if (lost !== undefined) return lost;
    for (const watched of options.paths) {
      const problem = changeOf(watched);
      if (problem === undefined) continue;
      lost = problem;
      stop();
      options.onLost(problem);
      return problem;
    }
    return undefined;
  };
  const timer = setInterval(check, options.intervalMs ?? 1000);
  timer.unref();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.paths[0].path, { persistent: false }, (event) => {
      if (event === "rename") setImmediate(check);
    });
    // The folder itself deleted: some platforms say so with an error.
    watcher.on("error", () => setImmediate(check));
  } catch {
    // fs.watch is a help, not a need: the periodic check still runs.
  }
  const stop = () => {
    clearInterval(timer);
    watcher?.close();
    watcher = undefined;
  };
  return { check, stop };
}

function changeOf({ path, what, identity }: WatchedPath): string | undefined {
  let now: FileIdentity;
  try {
    now = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Anything else (EMFILE, EINTR...) may pass: the next check decides.
    return code === "ENOENT" || code === "ENOTDIR"
      ? `the ${what} ${path} vanished (deleted or moved)`
      : undefined;
  }
  if (now.dev !== identity.dev || now.ino !== identity.ino) {
    return `the ${what} ${path} was replaced (another file or folder is now at that path)`;
  }
  return undefined;
}
