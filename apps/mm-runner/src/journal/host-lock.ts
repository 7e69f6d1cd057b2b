import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HeldDatabase, holdDatabase } from "./held-database.ts";

/** Who holds a lock, as the holder wrote or told it (information only: never used to decide). */
export interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * Where the second lock of a state folder lives, outside the folder:
 * - `abstract-socket` (Linux, the default there): a unix socket in the abstract namespace,
 *   which has no file at all; the kernel frees its name when the process dies.
 * - `tmpdir` (elsewhere): a SQLite-locked file in `os.tmpdir()/mm-runner-locks/`.
 */
export type HostLockKind = "abstract-socket" | "tmpdir";

export interface HostLock {
  readonly kind: HostLockKind;
  /** The socket's name (without its leading NUL) or the file's path. */
  readonly name: string;
  release(): void;
}

export type HostLockAttempt =
  | { readonly ok: true; readonly lock: HostLock }
  | { readonly ok: false; readonly holder: Holder | undefined };

export function defaultHostLockKind(): HostLockKind {
  return process.platform === "linux" ? "abstract-socket" : "tmpdir";
}

/** The name every runner on this machine derives from the folder's real path. */
export function hostLockKey(realDir: string): string {
  return `matchingo-mm-runner/${createHash("sha256").update(realDir).digest("hex").slice(0, 40)}`;
}

/**
 * Takes the state folder's lock that deleting, moving or replacing the folder cannot
 * release: it is keyed by the folder's real path and lives where no file operation in
 * `STATE_DIR` reaches. Refused (`ok: false`) while another live process holds it.
 */
export async function acquireHostLock(
  realDir: string,
  holder: Holder,
  kind: HostLockKind = defaultHostLockKind(),
): Promise<HostLockAttempt> {
  const key = hostLockKey(realDir);
  return kind === "abstract-socket" ? abstractSocketLock(key, holder) : tmpdirLock(key, holder);
}

async function abstractSocketLock(key: string, holder: Holder): Promise<HostLockAttempt> {
  const address = `\0${key}`;
  // Whoever connects learns who holds the folder (for the refusal's message).
  const server: Server = createServer((socket) => {
    socket.on("error", () => {});
    socket.end(`${JSON.stringify(holder)}\n`);
  });
  const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once("error", resolve);
    server.listen(address, () => {
      server.off("error", resolve);
      resolve(undefined);
    });
  });
  if (bound !== undefined) {
    if (bound.code !== "EADDRINUSE") {
      throw new Error(`could not take the state lock (abstract socket ${key})`, { cause: bound });
    }
    return { ok: false, holder: await askHolder(address) };
  }
  // It must not keep the process alive, only bound.
  server.unref();
  let released = false;
  return {
    ok: true,
    lock: {
      kind: "abstract-socket",
      name: key,
      release() {
        if (released) return;
        released = true;
        server.close();
      },
    },
  };
}

function askHolder(address: string): Promise<Holder | undefined> {
  return new Promise((resolve) => {
    let text = "";
    const socket = createConnection(address);
    const done = (value: Holder | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), 1000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 4096) done(undefined);
    });
    socket.on("end", () => done(parseHolder(text)));
    socket.on("error", () => done(undefined));
  });
}

async function tmpdirLock(key: string, holder: Holder): Promise<HostLockAttempt> {
  const dir = join(tmpdir(), "mm-runner-locks");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${key.split("/").pop()}.db`);
  const held: HeldDatabase | "busy" = holdDatabase(path, 0, JSON.stringify(holder));
  if (held === "busy") return { ok: false, holder: undefined };
  return {
    ok: true,
    lock: { kind: "tmpdir", name: path, release: () => held.release() },
  };
}

export function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid !== "number") return undefined;
    return { pid: value.pid, host: String(value.host), since: String(value.since) };
  } catch {
    return undefined;
  }
}
