import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { acquireLock, LockedError } from "../src/journal/lock.ts";
import { tempDir } from "./helpers/runner-process.ts";

const LOCK_MODULE = fileURLToPath(new URL("../src/journal/lock.ts", import.meta.url));

/** Another process that takes the lock and keeps it until it is killed. */
function holdInChild(dir: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
       acquireLock(${JSON.stringify(dir)}); console.log("held"); setInterval(() => {}, 1000);`,
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
  it("refuses a second holder while the first holds it, naming the folder and the holder's pid", () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    let refused: unknown;
    try {
      acquireLock(dir, { waitMs: 50 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LockedError);
    expect((refused as LockedError).message).toContain(dir);
    expect((refused as LockedError).message).toContain(`pid ${process.pid}`);
    expect((refused as LockedError).pid).toBe(process.pid);
    lock.release();
    acquireLock(dir).release();
  });

  it("is free the moment a holder is SIGKILLed (the kernel drops its lock)", async () => {
    const dir = tempDir();
    const holder = holdInChild(dir);
    await holder.held;
    expect(() => acquireLock(dir, { waitMs: 50 })).toThrow(LockedError);
    holder.child.kill("SIGKILL");
    await holder.exited;
    const lock = acquireLock(dir, { waitMs: 0 });
    lock.release();
  });

  it("ignores stale files that name a live, unrelated pid", () => {
    const dir = tempDir();
    // The old pid-file lock and the holder note, both naming a live process that is not a runner.
    writeFileSync(join(dir, "lock"), JSON.stringify({ pid: process.ppid }));
    writeFileSync(
      join(dir, "lock.holder.json"),
      JSON.stringify({ pid: process.ppid, host: "elsewhere", since: "2020-01-01T00:00:00Z" }),
    );
    const lock = acquireLock(dir, { waitMs: 0 });
    expect(existsSync(join(dir, "lock"))).toBe(false);
    lock.release();
    expect(existsSync(join(dir, "lock.holder.json"))).toBe(false);
  });
});
