import { parseRfc3339 } from "../../time.ts";

/** One line of a replay tape. The price is kept as written; the source validates it. */
export interface TapeEntry {
  readonly line: number;
  /** ms since the epoch */
  readonly time: number;
  readonly price: string;
  /** When the line names one; untagged lines serve any symbol. */
  readonly symbol?: string;
}

export type TapeFormat = "csv" | "jsonl";

export class TapeError extends Error {
  override readonly name = "TapeError";
}

/**
 * Parses a tape of time and price. CSV: `time,price[,symbol]`, an optional header line,
 * `#` comments. JSONL: `{"time":…,"price":"…","symbol"?:"…"}`. A time is ms since the
 * epoch or RFC 3339. Prices must be strings in JSONL: a JSON number has already lost digits.
 */
export function parseTape(tape: string, format: TapeFormat): TapeEntry[] {
  if (format !== "csv" && format !== "jsonl") {
    throw new TapeError(`replay: format must be "csv" or "jsonl", got ${JSON.stringify(format)}`);
  }
  const entries: TapeEntry[] = [];
  const lines = tape.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const text = raw.trim();
    const line = index + 1;
    if (text === "" || text.startsWith("#")) continue;
    const entry =
      format === "csv" ? csvEntry(text, line, entries.length === 0) : jsonlEntry(text, line);
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) throw new TapeError("replay: the tape has no prices");
  return entries;
}

function csvEntry(text: string, line: number, first: boolean): TapeEntry | undefined {
  const fields = text.split(",").map((field) => field.trim());
  if (fields.length < 2 || fields.length > 3) {
    throw new TapeError(
      `replay: line ${line}: expected time,price[,symbol], got ${JSON.stringify(text)}`,
    );
  }
  const [time, price, symbol] = fields as [string, string, string | undefined];
  const parsedTime = parseTime(time);
  if (parsedTime === undefined) {
    if (first && /^[a-z_ ]+$/i.test(time)) return undefined; // a header line
    throw new TapeError(
      `replay: line ${line}: time ${JSON.stringify(time)} is neither ms nor RFC 3339`,
    );
  }
  return { line, time: parsedTime, price, ...(symbol ? { symbol } : {}) };
}

function jsonlEntry(text: string, line: number): TapeEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TapeError(`replay: line ${line} is not JSON: ${JSON.stringify(text)}`, { cause });
  }
  if (typeof value !== "object" || value === null) {
    throw new TapeError(`replay: line ${line}: expected an object, got ${JSON.stringify(text)}`);
  }
  const { time, price, symbol } = value as Record<string, unknown>;
  const parsedTime =
    typeof time === "number" || typeof time === "string" ? parseTime(String(time)) : undefined;
  if (parsedTime === undefined) {
    throw new TapeError(
      `replay: line ${line}: time ${JSON.stringify(time)} is neither ms nor RFC 3339`,
    );
  }
  if (typeof price !== "string") {
    throw new TapeError(
      `replay: line ${line}: price must be a decimal string, got ${JSON.stringify(price)}`,
    );
  }
  if (symbol !== undefined && typeof symbol !== "string") {
    throw new TapeError(
      `replay: line ${line}: symbol must be a string, got ${JSON.stringify(symbol)}`,
    );
  }
  return { line, time: parsedTime, price, ...(symbol ? { symbol } : {}) };
}

function parseTime(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return parseRfc3339(text);
}
