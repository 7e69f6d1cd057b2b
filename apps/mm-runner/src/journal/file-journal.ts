import { closeSync, fstatSync, fsyncSync, openSync, statSync, writeSync } from "node:fs";
import type { OrderIntent, OrderJournal } from "@matchingo-mm/core";
import { type ClosedEntry, entryKey, entryLine, type OpenEntry, openEntry } from "./entries.ts";
import { readJournalFile, rewriteJournal } from "./files.ts";

export interface FileJournal extends OrderJournal {
  opened(order: OrderIntent): Promise<void>;
  closed(book: string, orderId: string): void;
  /** Orders opened and not yet closed. */
  openOrders(): OpenEntry[];
  /**
   * Checks that the file at the journal's path is still the one written to: the message
   * when it vanished or was replaced (then `opened` refuses every new order).
   */
  verify(): string | undefined;
  close(): void;
}

export interface FileJournalOptions {
  readonly now?: () => number;
  /** Compact once the file has this many lines and mostly closed orders. */
  readonly compactAfterLines?: number;
  /** Told once when the journal's file vanished or was replaced (see `verify`). */
  readonly onLost?: (message: string) => void;
}

/**
 * An append-only journal of one book, for the one thread that quotes it.
 *
 * `opened` resolves only once the line is on disk (fsync): core awaits it before
 * sending CreateOrder, so a crash can never leave an order the journal does not know.
 * Several `opened` calls in the same tick share one fsync. `closed` is not synced: losing
 * it only means the next start cancels an order that is already gone, which is harmless.
 */
export function openFileJournal(path: string, options: FileJournalOptions = {}): FileJournal {
  const now = options.now ?? Date.now;
  const compactAfterLines = options.compactAfterLines ?? 5_000;
  const existing = readJournalFile(path);
  const open = new Map(existing.open);
  // Start from a clean file: a torn tail must not glue itself to our first line.
  rewriteJournal(path, open.values());
  let fd = openSync(path, "a");
  let lines = open.size;
  let waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let closed = false;
  let lost: string | undefined;

  /**
   * A journal line is only worth its fsync if the next start can read it: a file deleted
   * or replaced under us (STATE_DIR removed, restored...) takes our lines with it.
   */
  const verify = (): string | undefined => {
    if (lost !== undefined || closed) return lost;
    let problem: string | undefined;
    try {
      const onDisk = statSync(path);
      const ours = fstatSync(fd);
      if (onDisk.ino !== ours.ino || onDisk.dev !== ours.dev) {
        problem = `the journal ${path} was replaced (another file is now at that path)`;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") {
        problem = `the journal ${path} vanished (deleted or moved)`;
      }
    }
    if (problem !== undefined) {
      lost = problem;
      options.onLost?.(problem);
    }
    return lost;
  };

  const append = (entry: OpenEntry | ClosedEntry) => {
    if (closed) throw new Error(`journal ${path} is closed`);
    writeSync(fd, entryLine(entry));
    lines++;
  };

  const flush = () => {
    const batch = waiting;
    waiting = [];
    try {
      const problem = verify();
      if (problem !== undefined) throw new Error(`${problem}; the order is not sent`);
      fsyncSync(fd);
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  };

  const compactIfWorthIt = () => {
    if (lines < compactAfterLines || lines < open.size * 4 || waiting.length > 0) return;
    rewriteJournal(path, open.values());
    closeSync(fd);
    fd = openSync(path, "a");
    lines = open.size;
  };

  return {
    opened(order) {
      if (lost !== undefined) {
        return Promise.reject(new Error(`${lost}; the order is not sent`));
      }
      const entry = openEntry(order, now());
      open.set(entryKey(entry.book, entry.id), entry);
      append(entry);
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (waiting.length === 1) setImmediate(flush);
      });
    },
    closed(book, orderId) {
      if (!open.delete(entryKey(book, orderId))) return;
      append({ op: "closed", book, id: orderId });
      compactIfWorthIt();
    },
    openOrders: () => [...open.values()],
    verify,
    close() {
      if (closed) return;
      if (waiting.length > 0) flush();
      closed = true;
      closeSync(fd);
    },
  };
}
