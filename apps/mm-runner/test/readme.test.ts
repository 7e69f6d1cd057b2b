import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { configTableMarkdown } from "../src/config/table.ts";

/** Table rows with their cells trimmed: the formatter may pad the columns. */
function rows(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .split("|")
        .map((cell) => cell.trim())
        .join("|"),
    );
}

it("the README's configuration table is the one generated from the settings", () => {
  const readme = rows(readFileSync(new URL("../README.md", import.meta.url), "utf8"));
  for (const row of rows(configTableMarkdown())) expect(readme).toContain(row);
});
