import { spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir, waitFor } from "@matchingo-mm/testkit";
import { describe, expect, it } from "vitest";
import { acquireLock, type HostLockKind, identityOf, LockedError } from "../src/journal/lock.ts";
import { watchState } from "../src/journal/state-watch.ts";

const LOCK_MODULE = fileURLToPath(new URL("../src/journal/lock.ts", import.meta.url));

/** Another process that takes the lock and keeps it until it is killed. */
function holdInChild(dir: string, hostLock?: HostLockKind) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
       await acquireLock(${JSON.stringify(dir)}, ${JSON.stringify(hostLock === undefined ? {} : { hostLock })}); console.log("held"); setInterval(() => {}, 1000);`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("held")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the holder exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, held, exited };
}

describe("acquireLock", () => {
  it("refuses a second holder while the first holds it, naming the folder and the holder's pid", async () => {
    const dir = tempDir();
    const lock = await acquireLock(dir);
    let refused: unknown;
    try {
      await acquireLock(dir, { waitMs: 50 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LockedError);
    expect((refused as LockedError).message).toContain(dir);
    expect((refused as LockedError).message).toContain(`pid ${process.pid}`);
    expect((refused as LockedError).pid).toBe(process.pid);
    lock.release();
    (await acquireLock(dir)).release();
  });

  it("is free the moment a holder is SIGKILLed (the kernel drops its lock)", async () => {
    const dir = tempDir();
    const holder = holdInChild(dir);
    await holder.held;
    await expect(acquireLock(dir, { waitMs: 50 })).rejects.toThrow(LockedError);
    holder.child.kill("SIGKILL");
    await holder.exited;
    const lock = await acquireLock(dir, { waitMs: 0 });
    lock.release();
  });

  it("ignores stale files that name a live, unrelated pid", async () => {
    const dir = tempDir();
    // The old pid-file lock and the holder note, both naming a live process that is not a runner.
    writeFileSync(join(dir, "lock"), JSON.stringify({ pid: process.ppid }));
    writeFileSync(
      join(dir, "lock.holder.json"),
      JSON.stringify({ pid: process.ppid, host: "elsewhere", since: "2020-01-01T00:00:00Z" }),
    );
    const lock = await acquireLock(dir, { waitMs: 0 });
    expect(existsSync(join(dir, "lock"))).toBe(false);
    lock.release();
    expect(existsSync(join(dir, "lock.holder.json"))).toBe(false);
  });
});

describe("acquireLock after the state folder is deleted under a live holder (issue 22)", () => {
  for (const hostLock of ["abstract-socket", "tmpdir"] as const) {
    it(`refuses a second runner while the first lives, then takes it once it died (${hostLock})`, async () => {
      const dir = join(tempDir(), "mm-1");
      const holder = holdInChild(dir, hostLock);
      await holder.held;
      // The old lock.db went with the folder: a new one in a new folder is free.
      rmSync(dir, { recursive: true, force: true });
      let refused: unknown;
      try {
        await acquireLock(dir, { waitMs: 50, hostLock });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(LockedError);
      expect((refused as LockedError).message).toContain(dir);
      if (hostLock === "abstract-socket") {
        // The holder answers on its socket: the message names it although its files are gone.
        expect((refused as LockedError).pid).toBe(holder.child.pid);
      }
      holder.child.kill("SIGKILL");
      await holder.exited;
      (await acquireLock(dir, { waitMs: 0, hostLock })).release();
    });
  }

  it("is refused when the folder was moved away and another put in its place", async () => {
    const root = tempDir();
    const dir = join(root, "mm-1");
    const lock = await acquireLock(dir);
    renameSync(dir, join(root, "mm-1.old"));
    mkdirSync(dir);
    await expect(acquireLock(dir, { waitMs: 50 })).rejects.toThrow(LockedError);
    lock.release();
  });
});

describe("watchState", () => {
  const lostOnce = () => {
    const lost: string[] = [];
    return { lost, onLost: (message: string) => lost.push(message) };
  };

  it("says the folder vanished, naming it, once it is deleted", async () => {
    const dir = join(tempDir(), "mm-1");
    mkdirSync(dir);
    writeFileSync(join(dir, "ledger.sqlite"), "");
    const { lost, onLost } = lostOnce();
    const watch = watchState({
      paths: [
        { path: dir, what: "state folder", identity: identityOf(dir) },
        {
          path: join(dir, "ledger.sqlite"),
          what: "ledger",
          identity: identityOf(join(dir, "ledger.sqlite")),
        },
      ],
      intervalMs: 50,
      onLost,
    });
    expect(watch.check()).toBeUndefined();
    rmSync(dir, { recursive: true });
    await waitFor(() => lost.length > 0, 5000, "the loss");
    expect(lost).toEqual([`the state folder ${dir} vanished (deleted or moved)`]);
    // Once: the periodic check stopped.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(lost).toHaveLength(1);
    watch.stop();
  });

  it("says a file was replaced when another file now has its path", () => {
    const dir = tempDir();
    const ledger = join(dir, "ledger.sqlite");
    writeFileSync(ledger, "a");
    const { lost, onLost } = lostOnce();
    const watch = watchState({
      paths: [
        { path: dir, what: "state folder", identity: identityOf(dir) },
        { path: ledger, what: "ledger", identity: identityOf(ledger) },
      ],
      intervalMs: 60_000,
      onLost,
    });
    writeFileSync(`${ledger}.new`, "a");
    renameSync(`${ledger}.new`, ledger);
    expect(watch.check()).toBe(
      `the ledger ${ledger} was replaced (another file or folder is now at that path)`,
    );
    expect(lost).toHaveLength(1);
    watch.stop();
  });
});
