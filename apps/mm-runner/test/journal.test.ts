import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CancelOutcome, OrderIntent } from "@matchingo-mm/core";
import { VenueError } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import { parseJournal } from "../src/journal/entries.ts";
import { openFileJournal } from "../src/journal/file-journal.ts";
import { journalPath, readJournalFile } from "../src/journal/files.ts";
import { retireJournal } from "../src/journal/retire.ts";

const order = (id: string, side: "buy" | "sell" = "buy"): OrderIntent => ({
  book: "BTC-USDT",
  orderId: id,
  side,
  price: "49975",
  quantity: "0.01",
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mm-journal-"));
}

describe("parseJournal", () => {
  it("replays opens and closes", () => {
    const text = [
      '{"op":"open","book":"B","id":"a","side":"buy","price":"1","qty":"1","at":1}',
      '{"op":"open","book":"B","id":"b","side":"sell","price":"2","qty":"1","at":1}',
      '{"op":"closed","book":"B","id":"a"}',
      "",
    ].join("\n");
    const parsed = parseJournal(text);
    expect([...parsed.open.values()].map((entry) => entry.id)).toEqual(["b"]);
    expect(parsed.tornTail).toBe(false);
  });

  it("tolerates a torn last line", () => {
    const text =
      '{"op":"open","book":"B","id":"a","side":"buy","price":"1","qty":"1","at":1}\n{"op":"open","book":"B","id":"b","si';
    const parsed = parseJournal(text);
    expect([...parsed.open.keys()]).toHaveLength(1);
    expect(parsed.tornTail).toBe(true);
    expect(parsed.badLines).toBe(0);
  });

  it("counts a broken line in the middle instead of stopping", () => {
    const parsed = parseJournal(
      'garbage\n{"op":"open","book":"B","id":"a","side":"buy","price":"1","qty":"1","at":1}\n',
    );
    expect(parsed.badLines).toBe(1);
    expect(parsed.open.size).toBe(1);
  });
});

describe("openFileJournal", () => {
  it("refuses to journal (so the order is never sent) once its file was deleted, and says so once", async () => {
    const dir = tempDir();
    const path = journalPath(dir, "BTC-USDT");
    const lost: string[] = [];
    const journal = openFileJournal(path, { onLost: (message) => lost.push(message) });
    await journal.opened(order("a"));
    rmSync(dir, { recursive: true });
    await expect(journal.opened(order("b"))).rejects.toThrow(
      `the journal ${path} vanished (deleted or moved); the order is not sent`,
    );
    await expect(journal.opened(order("c"))).rejects.toThrow(/vanished/);
    expect(journal.verify()).toBe(`the journal ${path} vanished (deleted or moved)`);
    expect(lost).toEqual([`the journal ${path} vanished (deleted or moved)`]);
    journal.close();
  });

  it("has the order on disk when opened() resolves, and retires it on closed()", async () => {
    const path = journalPath(tempDir(), "BTC-USDT");
    const journal = openFileJournal(path);
    await Promise.all([journal.opened(order("a")), journal.opened(order("b", "sell"))]);
    expect(readJournalFile(path).open.size).toBe(2);
    journal.closed("BTC-USDT", "a");
    journal.close();
    const replayed = readJournalFile(path);
    expect([...replayed.open.values()].map((entry) => [entry.id, entry.side, entry.price])).toEqual(
      [["b", "sell", "49975"]],
    );
  });

  it("keeps what an earlier run left and drops a torn tail before appending", async () => {
    const path = journalPath(tempDir(), "BTC-USDT");
    writeFileSync(
      path,
      '{"op":"open","book":"BTC-USDT","id":"old","side":"buy","price":"1","qty":"1","at":1}\n{"op":"op',
    );
    const journal = openFileJournal(path);
    await journal.opened(order("new"));
    journal.close();
    const replayed = readJournalFile(path);
    expect(replayed.tornTail).toBe(false);
    expect(replayed.badLines).toBe(0);
    expect([...replayed.open.values()].map((entry) => entry.id)).toEqual(["old", "new"]);
  });

  it("compacts itself once most lines are history", async () => {
    const path = journalPath(tempDir(), "BTC-USDT");
    const journal = openFileJournal(path, { compactAfterLines: 10 });
    for (let index = 0; index < 20; index++) {
      await journal.opened(order(`o${index}`));
      journal.closed("BTC-USDT", `o${index}`);
    }
    await journal.opened(order("live"));
    journal.close();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines.length).toBeLessThan(10);
    expect([...readJournalFile(path).open.values()].map((entry) => entry.id)).toEqual(["live"]);
  });
});

describe("retireJournal", () => {
  it("cancels what is listed and keeps only what could not be cancelled", async () => {
    const path = journalPath(tempDir(), "BTC-USDT");
    const journal = openFileJournal(path);
    for (const id of ["a", "b", "c"]) await journal.opened(order(id));
    journal.close();
    appendFileSync(path, '{"op":"open","book":"BTC-USDT","id":"torn');
    const asked: string[] = [];
    const result = await retireJournal(path, {
      gateway: {
        async cancelOrder(_book, id): Promise<CancelOutcome> {
          asked.push(id);
          if (id === "c") throw new VenueError("down", { kind: "unavailable" });
          return id === "a" ? "canceled" : "already-gone";
        },
      },
    });
    expect(asked.sort()).toEqual(["a", "b", "c"]);
    expect(result.cancelled).toBe(1);
    expect(result.alreadyGone).toBe(1);
    expect(result.failed.map((failure) => failure.entry.id)).toEqual(["c"]);
    expect(result.tornTail).toBe(true);
    expect([...readJournalFile(path).open.values()].map((entry) => entry.id)).toEqual(["c"]);
  });

  it("removes the journal when everything is gone", async () => {
    const path = journalPath(tempDir(), "BTC-USDT");
    const journal = openFileJournal(path);
    await journal.opened(order("a"));
    journal.close();
    await retireJournal(path, { gateway: { cancelOrder: async () => "canceled" } });
    expect(existsSync(path)).toBe(false);
  });
});
