import Database from "better-sqlite3";

export interface HeldDatabase {
  release(): void;
}

/**
 * Opens `path` as a SQLite database and holds it with a lock the kernel releases when the
 * process dies, however it dies: in exclusive locking mode SQLite keeps a POSIX (fcntl)
 * write lock on the file for as long as the connection is open. `"busy"`: another live
 * process holds it (after waiting up to `waitMs` for a holder that is dying).
 */
export function holdDatabase(path: string, waitMs: number, note = ""): HeldDatabase | "busy" {
  const db = new Database(path, { timeout: waitMs });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    // The first write takes the EXCLUSIVE lock; in this mode it is never given back.
    db.exec("CREATE TABLE IF NOT EXISTS held (at TEXT NOT NULL)");
    db.prepare("INSERT INTO held (at) VALUES (?)").run(`${new Date().toISOString()} ${note}`);
    db.exec("DELETE FROM held");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") return "busy";
    throw error;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      db.close();
    },
  };
}
