/** Prints rows as an aligned text table under a title (numbers right-aligned). */
export function printTable(title: string, rows: readonly Record<string, unknown>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log("  (nothing)");
    return;
  }
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => text(row[column]).length)),
  );
  const line = (cells: string[], numeric: boolean[]) =>
    `  ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ")}`;
  console.log(
    line(
      columns,
      columns.map(() => false),
    ),
  );
  console.log(`  ${widths.map((width) => "-".repeat(width)).join("  ")}`);
  for (const row of rows) {
    const cells = columns.map((column) => text(row[column]));
    console.log(
      line(
        cells,
        columns.map((column) => typeof row[column] === "number"),
      ),
    );
  }
}

export const fixed = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "n/a";

/** A part's targets as a table: met, not met, or not run (printed, never asserted). */
export function printTargets(
  title: string,
  targets: readonly { target: string; measured: string; met?: boolean }[],
): void {
  printTable(
    title,
    targets.map((t) => ({
      target: t.target,
      measured: t.measured,
      met: t.met === undefined ? "not run" : t.met ? "met" : "not met",
    })),
  );
}
