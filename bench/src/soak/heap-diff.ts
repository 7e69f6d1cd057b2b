/**
 * Compares two V8 heap snapshots (`.heapsnapshot`, e.g. from the soak's SOAK_SNAPSHOT_MINUTES)
 * of one process: objects by constructor / kind, what grew between them, biggest first.
 *
 *   npx tsx src/soak/heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot> [rows]
 *
 * A tool for finding what grows (issue 26), not a part of `pnpm bench`.
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: string[];
      readonly node_types: [string[], ...unknown[]];
    };
  };
  readonly nodes: number[];
  readonly strings: string[];
}

export interface Group {
  count: number;
  selfSize: number;
}

/** Objects of a snapshot grouped by `kind:name` (e.g. `object:Map`, `string`, `closure:run`). */
export function groups(snapshot: Snapshot): Map<string, Group> {
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const types = snapshot.snapshot.meta.node_types[0];
  const out = new Map<string, Group>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? "?";
    // Strings and numbers grouped by kind alone: their names are their contents.
    const name =
      type === "string" ||
      type === "concatenated string" ||
      type === "sliced string" ||
      type === "number"
        ? type
        : `${type}:${snapshot.strings[snapshot.nodes[i + nameAt]!] ?? "?"}`;
    const group = out.get(name) ?? { count: 0, selfSize: 0 };
    group.count++;
    group.selfSize += snapshot.nodes[i + sizeAt]!;
    out.set(name, group);
  }
  return out;
}

export interface Growth {
  readonly name: string;
  readonly countBefore: number;
  readonly countAfter: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

/** Every group whose size changed, the largest growth first. */
export function compare(before: Map<string, Group>, after: Map<string, Group>): Growth[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((name) => ({
      name,
      countBefore: before.get(name)?.count ?? 0,
      countAfter: after.get(name)?.count ?? 0,
      bytesBefore: before.get(name)?.selfSize ?? 0,
      bytesAfter: after.get(name)?.selfSize ?? 0,
    }))
    .filter((g) => g.bytesAfter !== g.bytesBefore || g.countAfter !== g.countBefore)
    .sort((a, b) => b.bytesAfter - b.bytesBefore - (a.bytesAfter - a.bytesBefore));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [first, second, rows] = process.argv.slice(2);
  if (!first || !second) {
    console.error("usage: heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot> [rows]");
    process.exit(2);
  }
  const read = (path: string) => groups(JSON.parse(readFileSync(path, "utf8")) as Snapshot);
  const before = read(first);
  const after = read(second);
  const total = (g: Map<string, Group>) => [...g.values()].reduce((s, x) => s + x.selfSize, 0);
  console.log(
    `total self size ${(total(before) / 1048576).toFixed(2)} → ${(total(after) / 1048576).toFixed(2)} MiB`,
  );
  for (const g of compare(before, after).slice(0, Number(rows ?? 30))) {
    console.log(
      `${((g.bytesAfter - g.bytesBefore) / 1024).toFixed(1).padStart(10)} KiB  ${String(g.countBefore).padStart(8)} → ${String(g.countAfter).padEnd(8)} ${g.name}`,
    );
  }
}
