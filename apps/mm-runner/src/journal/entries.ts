import type { OrderIntent } from "@matchingo-mm/core";

/** An order we may own: written (and fsynced) before its CreateOrder is sent. */
export interface OpenEntry {
  readonly op: "open";
  readonly book: string;
  readonly id: string;
  readonly side: string;
  readonly price: string;
  readonly qty: string;
  /** ms since the epoch */
  readonly at: number;
}

/** The order is known gone (cancelled, filled, lost with a restarted venue). */
export interface ClosedEntry {
  readonly op: "closed";
  readonly book: string;
  readonly id: string;
}

export type JournalEntry = OpenEntry | ClosedEntry;

export function openEntry(order: OrderIntent, at: number): OpenEntry {
  return {
    op: "open",
    book: order.book,
    id: order.orderId,
    side: order.side,
    price: order.price,
    qty: order.quantity,
    at,
  };
}

export function entryLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export interface ParsedJournal {
  /** Orders opened and not closed, by `book\u0000id`, in the order they were opened. */
  readonly open: Map<string, OpenEntry>;
  readonly lines: number;
  /** The last line was cut short (a crash mid-write); it is ignored. */
  readonly tornTail: boolean;
  /** Lines before the last that could not be read (should never happen; reported). */
  readonly badLines: number;
}

export const entryKey = (book: string, id: string): string => `${book}\u0000${id}`;

/**
 * Replays a journal. A torn last line is expected after a crash (the write never
 * finished, so its CreateOrder was never sent) and is skipped quietly.
 */
export function parseJournal(text: string): ParsedJournal {
  const open = new Map<string, OpenEntry>();
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  let badLines = 0;
  let tornTail = false;
  let count = 0;
  lines.forEach((line, index) => {
    if (line === "") return;
    count++;
    const last = index === lines.length - 1;
    const entry = readEntry(line);
    if (entry === undefined) {
      if (last && !complete) tornTail = true;
      else badLines++;
      return;
    }
    const key = entryKey(entry.book, entry.id);
    if (entry.op === "open") open.set(key, entry);
    else open.delete(key);
  });
  return { open, lines: count, tornTail, badLines };
}

function readEntry(line: string): JournalEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const entry = value as Partial<Omit<OpenEntry, "op">> & { op?: unknown };
  if (typeof entry.book !== "string" || typeof entry.id !== "string") return undefined;
  if (entry.op === "closed") return { op: "closed", book: entry.book, id: entry.id };
  if (entry.op !== "open") return undefined;
  return {
    op: "open",
    book: entry.book,
    id: entry.id,
    side: String(entry.side ?? ""),
    price: String(entry.price ?? ""),
    qty: String(entry.qty ?? ""),
    at: Number(entry.at ?? 0),
  };
}
