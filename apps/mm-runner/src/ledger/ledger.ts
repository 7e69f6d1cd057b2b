/**
 * The ledger: every fill and each symbol's risk state, in one SQLite database in the
 * runner's state folder (`STATE_DIR/<MARKET_MAKER_ID>/ledger.sqlite`), through
 * better-sqlite3 (version 12: 13 needs Node 22).
 *
 * Durability: WAL with `synchronous=FULL`, so a call that returned has its transaction
 * fsynced in the WAL and survives a crash of the process or the machine. A write torn
 * by a crash is a WAL frame without a valid commit; SQLite drops it at the next open
 * and keeps every transaction committed before it.
 *
 * Position and P&L are not stored as numbers that could drift from the fills: at open
 * they are rebuilt by replaying every fill through core's `applyFill` (exact decimals,
 * the fee stored with each fill), so after a restart they are exactly what they were.
 *
 * The order journal stays a file (`journal/`), on purpose: it is written before every
 * create from each worker's hot path, one append-only file per book and thread, and its
 * write-before-send guarantee and fault tests are built on that. Fills are rare next to
 * creates, and no transaction has to span both stores (a fill is recorded after its
 * order is known; the journal only tracks which orders may still rest), so one database
 * would buy a shared lock on the hot path and nothing in exchange.
 *
 * Several threads may open the same ledger (WAL lets readers run beside the one writer;
 * writers wait up to `busyTimeoutMs`). Each symbol's fills should come from one thread.
 */
import {
  add,
  applyFill,
  type Decimal,
  EMPTY_PNL,
  fillFee,
  formatDecimal,
  isDecimalString,
  normalize,
  type PnlState,
  parseDecimal,
  type Side,
  unrealized,
  ZERO,
} from "@matchingo-mm/core";
import Database from "better-sqlite3";

/** How a fill was learned. */
export const FILL_SOURCES = [
  "place-response",
  "poll",
  "cancel-found-gone",
  "stream",
  "reconciliation",
] as const;
export type FillSource = (typeof FILL_SOURCES)[number];

export interface NewFill {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Decimal strings. */
  readonly price: string;
  readonly quantity: string;
  /** Fee charged, quote units; absent: computed from `feeBps` (or 0). */
  readonly fee?: string;
  /** MAKER_FEE_BPS, used when `fee` is absent. */
  readonly feeBps?: string;
  /** ms since the epoch. */
  readonly time: number;
  readonly source: FillSource;
  /**
   * A stream fill: where the venue's trade stream had it (`topic/partition/offset/index`).
   * The ledger books a key once: a second fill with the same key is refused (`duplicate`).
   */
  readonly streamKey?: string;
}

export interface FillRecord {
  /** Ledger sequence number, ascending in the order fills were recorded. */
  readonly seq: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: string;
  readonly quantity: string;
  readonly fee: string;
  readonly time: number;
  readonly source: FillSource;
  readonly streamKey?: string;
}

export interface Halt {
  readonly symbol: string;
  readonly reason: string;
  /** ms since the epoch. */
  readonly since: number;
}

export interface SymbolPnl extends PnlState {
  readonly symbol: string;
  /** Present when a mark was given. */
  readonly unrealized?: string;
  /** The mark used. */
  readonly mark?: string;
}

export interface Ledger {
  readonly path: string;
  /** Records one fill durably; returns the symbol's P&L after it. */
  recordFill(fill: NewFill): PnlState;
  /** Fills in recording order, optionally from `since` (ms, inclusive) and one symbol. */
  fills(filter?: { since?: number; until?: number; symbol?: string }): FillRecord[];
  /** Symbols with at least one fill. */
  symbols(): string[];
  /** Signed position, base units ("0" for a symbol never traded). */
  position(symbol: string): string;
  pnl(symbol: string, mark?: string): SymbolPnl;
  haltedSymbols(): Halt[];
  halted(symbol: string): Halt | undefined;
  /** Halts a symbol (kept across restarts until `resume`); a second halt keeps the first reason. */
  halt(symbol: string, reason: string, time?: number): Halt;
  /** True when the symbol was halted. */
  resume(symbol: string): boolean;
  /** Whether a stream fill with this key is booked. */
  hasStreamKey(key: string): boolean;
  /** Where the trade stream resumes: partition → the next offset to read (decimal text). */
  streamPositions(topic: string): Map<number, string>;
  /** Records where the trade stream resumes on a partition (everything before is booked). */
  setStreamPosition(topic: string, partition: number, nextOffset: string): void;
  /**
   * The orders of `symbol`'s last `limit` fills, each with all it had booked and the part
   * of it the stream reported, so late stream fills of them are booked once after a restart.
   */
  recentOrders(
    symbol: string,
    limit?: number,
  ): Array<{ orderId: string; side: Side; booked: string; streamed: string }>;
  close(): void;
}

export class LedgerError extends Error {
  override readonly name = "LedgerError";
  /** A stream fill whose key the ledger has already booked. */
  readonly duplicate: boolean;
  constructor(message: string, options?: ErrorOptions & { duplicate?: boolean }) {
    super(message, options);
    this.duplicate = options?.duplicate ?? false;
  }
}

/** Names the file and says why, in one line (SQLite's own words and code). */
function unreadableLedger(path: string, cause: unknown): LedgerError {
  const { code, message } = cause as { code?: string; message?: string };
  const damaged = code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
  return new LedgerError(
    `cannot open the ledger ${path}: ${message ?? String(cause)}${code ? ` (${code})` : ""}${damaged ? "; it is damaged or not a ledger: move it away to start an empty one (its fills, position and halts are then forgotten)" : ""}`,
    { cause },
  );
}

export interface LedgerOptions {
  /** Open without writing (the report). */
  readonly readonly?: boolean;
  /** How long a writer waits for another thread's write; default 5000. */
  readonly busyTimeoutMs?: number;
}

interface FillRow {
  seq: number;
  order_id: string;
  symbol: string;
  side: Side;
  price: string;
  quantity: string;
  fee: string;
  time: number;
  source: FillSource;
  stream_key: string | null;
}

const FILLS_TABLE = `
CREATE TABLE IF NOT EXISTS fills (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  price TEXT NOT NULL,
  quantity TEXT NOT NULL,
  fee TEXT NOT NULL,
  time INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('place-response', 'poll', 'cancel-found-gone', 'stream', 'reconciliation')),
  stream_key TEXT UNIQUE
);`;

const SCHEMA = `${FILLS_TABLE}
CREATE INDEX IF NOT EXISTS fills_by_order ON fills (order_id);
CREATE TABLE IF NOT EXISTS stream_positions (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  next_offset TEXT NOT NULL,
  PRIMARY KEY (topic, partition)
);
CREATE INDEX IF NOT EXISTS fills_by_symbol_time ON fills (symbol, time);
CREATE INDEX IF NOT EXISTS fills_by_time ON fills (time);
CREATE TABLE IF NOT EXISTS risk_state (
  symbol TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  since INTEGER NOT NULL
);
`;

/** Opens (creating when needed) the ledger at `path` and rebuilds every symbol's P&L. */
export function openLedger(path: string, options: LedgerOptions = {}): Ledger {
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      // Only the first opener writes these: many workers opening a ready ledger at once
      // then take no write lock (a busy wait would block a worker's thread at boot).
      if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      const ready = db
        .prepare(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('fills', 'risk_state', 'stream_positions')",
        )
        .get() as { n: number };
      if (ready.n < 3) {
        migrateFills(db);
        db.exec(SCHEMA);
      }
    }
  } catch (cause) {
    throw unreadableLedger(path, cause);
  }

  let insertFill: Database.Statement | undefined;
  let selectHalt: Database.Statement;
  const states = new Map<string, PnlState>();
  // Reading the fills is where a damaged file shows (a read-only open reads nothing before).
  try {
    insertFill = options.readonly
      ? undefined
      : db.prepare(
          "INSERT INTO fills (order_id, symbol, side, price, quantity, fee, time, source, stream_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        );
    for (const row of db
      .prepare("SELECT * FROM fills ORDER BY seq")
      .iterate() as Iterable<FillRow>) {
      const state = states.get(row.symbol) ?? EMPTY_PNL;
      states.set(row.symbol, applyFill(state, row));
    }
    selectHalt = db.prepare("SELECT symbol, reason, since FROM risk_state WHERE symbol = ?");
  } catch (cause) {
    db.close();
    throw unreadableLedger(path, cause);
  }

  const stateOf = (symbol: string) => states.get(symbol) ?? EMPTY_PNL;
  const halted = (symbol: string) => selectHalt.get(symbol) as Halt | undefined;

  return {
    path,
    recordFill(fill) {
      if (insertFill === undefined) throw new LedgerError(`the ledger ${path} is open read-only`);
      const problems = checkFill(fill);
      if (problems.length > 0) {
        throw new LedgerError(`refused fill: ${problems.join("; ")}`);
      }
      const fee = formatDecimal(
        normalize(
          fill.fee === undefined
            ? fillFee(fill.price, fill.quantity, fill.feeBps ?? "0")
            : parseDecimal(fill.fee),
        ),
      );
      // Computed before the write, so a fill the P&L refuses is never stored.
      const next = applyFill(stateOf(fill.symbol), { ...fill, fee });
      try {
        insertFill.run(
          fill.orderId,
          fill.symbol,
          fill.side,
          fill.price,
          fill.quantity,
          fee,
          Math.trunc(fill.time),
          fill.source,
          fill.streamKey ?? null,
        );
      } catch (cause) {
        if ((cause as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
          throw new LedgerError(`the stream fill ${fill.streamKey} is booked already`, {
            cause,
            duplicate: true,
          });
        }
        throw new LedgerError(`cannot record fill of ${fill.orderId} in ${path}`, { cause });
      }
      states.set(fill.symbol, next);
      return next;
    },
    fills(filter = {}) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.since !== undefined) {
        where.push("time >= ?");
        args.push(filter.since);
      }
      if (filter.until !== undefined) {
        where.push("time < ?");
        args.push(filter.until);
      }
      if (filter.symbol !== undefined) {
        where.push("symbol = ?");
        args.push(filter.symbol);
      }
      const sql = `SELECT * FROM fills${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq`;
      return (db.prepare(sql).all(...args) as FillRow[]).map(toRecord);
    },
    symbols() {
      return [...states.keys()].sort();
    },
    position(symbol) {
      return stateOf(symbol).position;
    },
    pnl(symbol, mark) {
      const state = stateOf(symbol);
      if (mark === undefined) return { symbol, ...state };
      return {
        symbol,
        ...state,
        mark,
        unrealized: formatDecimal(normalize(unrealized(state, mark))),
      };
    },
    haltedSymbols() {
      return db
        .prepare("SELECT symbol, reason, since FROM risk_state ORDER BY symbol")
        .all() as Halt[];
    },
    halted,
    halt(symbol, reason, time = Date.now()) {
      db.prepare(
        "INSERT INTO risk_state (symbol, reason, since) VALUES (?, ?, ?) ON CONFLICT (symbol) DO NOTHING",
      ).run(symbol, reason, Math.trunc(time));
      return halted(symbol) as Halt;
    },
    resume(symbol) {
      return db.prepare("DELETE FROM risk_state WHERE symbol = ?").run(symbol).changes > 0;
    },
    hasStreamKey(key) {
      return db.prepare("SELECT 1 FROM fills WHERE stream_key = ?").get(key) !== undefined;
    },
    streamPositions(topic) {
      const rows = db
        .prepare("SELECT partition, next_offset FROM stream_positions WHERE topic = ?")
        .all(topic) as Array<{ partition: number; next_offset: string }>;
      return new Map(rows.map((row) => [row.partition, row.next_offset]));
    },
    setStreamPosition(topic, partition, nextOffset) {
      db.prepare(
        "INSERT INTO stream_positions (topic, partition, next_offset) VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset",
      ).run(topic, partition, nextOffset);
    },
    recentOrders(symbol, limit = 5_000) {
      const rows = db
        .prepare(
          `SELECT order_id, side, quantity, source FROM fills WHERE order_id IN (
             SELECT order_id FROM fills WHERE symbol = ? ORDER BY seq DESC LIMIT ?
           ) ORDER BY seq`,
        )
        .all(symbol, limit) as Array<{
        order_id: string;
        side: Side;
        quantity: string;
        source: FillSource;
      }>;
      const orders = new Map<
        string,
        { orderId: string; side: Side; booked: Decimal; streamed: Decimal }
      >();
      for (const row of rows) {
        const order = orders.get(row.order_id) ?? {
          orderId: row.order_id,
          side: row.side,
          booked: ZERO,
          streamed: ZERO,
        };
        const quantity = parseDecimal(row.quantity);
        order.booked = add(order.booked, quantity);
        if (row.source === "stream") order.streamed = add(order.streamed, quantity);
        orders.set(row.order_id, order);
      }
      return [...orders.values()].map((o) => ({
        orderId: o.orderId,
        side: o.side,
        booked: formatDecimal(normalize(o.booked)),
        streamed: formatDecimal(normalize(o.streamed)),
      }));
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/**
 * A ledger written before the trade stream: its fills table refuses the new sources and
 * has no stream key. Rebuilt in one transaction, every fill kept in its order.
 */
function migrateFills(db: Database.Database): void {
  const table = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'fills'")
    .get() as { sql: string } | undefined;
  if (table === undefined || table.sql.includes("stream_key")) return;
  db.transaction(() => {
    db.exec("ALTER TABLE fills RENAME TO fills_before_stream");
    db.exec(FILLS_TABLE);
    db.exec(
      "INSERT INTO fills (seq, order_id, symbol, side, price, quantity, fee, time, source) SELECT seq, order_id, symbol, side, price, quantity, fee, time, source FROM fills_before_stream",
    );
    db.exec("DROP TABLE fills_before_stream");
  })();
}

function checkFill(fill: NewFill): string[] {
  const problems: string[] = [];
  if (typeof fill.orderId !== "string" || fill.orderId === "") {
    problems.push(`orderId=${JSON.stringify(fill.orderId)} must be a non-empty string`);
  }
  if (typeof fill.symbol !== "string" || fill.symbol === "") {
    problems.push(`symbol=${JSON.stringify(fill.symbol)} must be a non-empty string`);
  }
  if (fill.side !== "buy" && fill.side !== "sell") {
    problems.push(`side=${JSON.stringify(fill.side)} must be buy or sell`);
  }
  for (const field of ["price", "quantity"] as const) {
    if (
      !isDecimalString(fill[field]) ||
      !/[1-9]/.test(fill[field]) ||
      fill[field].startsWith("-")
    ) {
      problems.push(`${field}=${JSON.stringify(fill[field])} must be a decimal string > 0`);
    }
  }
  for (const field of ["fee", "feeBps"] as const) {
    const value = fill[field];
    if (value !== undefined && !isDecimalString(value)) {
      problems.push(`${field}=${JSON.stringify(value)} must be a decimal string`);
    }
  }
  if (!Number.isFinite(fill.time) || fill.time < 0) {
    problems.push(`time=${String(fill.time)} must be ms since the epoch`);
  }
  if (!(FILL_SOURCES as readonly string[]).includes(fill.source)) {
    problems.push(
      `source=${JSON.stringify(fill.source)} must be one of ${FILL_SOURCES.join(", ")}`,
    );
  }
  return problems;
}

function toRecord(row: FillRow): FillRecord {
  return {
    seq: row.seq,
    orderId: row.order_id,
    symbol: row.symbol,
    side: row.side,
    price: row.price,
    quantity: row.quantity,
    fee: row.fee,
    time: row.time,
    source: row.source,
    ...(row.stream_key === null ? {} : { streamKey: row.stream_key }),
  };
}
