import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tempDir } from "@matchingo-mm/testkit";
import { afterEach, expect, it } from "vitest";

/**
 * The import check of `pnpm lint` (import-rules.cjs) on small trees of its own: it fails on
 * a circle and on an import up the layers, lets a known violation through by its exact
 * import and nothing else, and refuses a file that is in no layer.
 */

const RULES = fileURLToPath(new URL("../../../import-rules.cjs", import.meta.url));
const DEPCRUISE = fileURLToPath(new URL("../../../node_modules/.bin/depcruise", import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Known {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** A package with `files` (path → source) in two layers, top/ above bottom/, checked. */
async function check(
  files: Readonly<Record<string, string>>,
  known: readonly Known[] = [],
): Promise<{ ok: boolean; output: string }> {
  const dir = tempDir("import-check-");
  dirs.push(dir);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "ESNext",
        moduleResolution: "Bundler",
        allowImportingTsExtensions: true,
        noEmit: true,
      },
    }),
  );
  writeFileSync(
    join(dir, ".dependency-cruiser.cjs"),
    `const { importRules } = require(${JSON.stringify(RULES)});
module.exports = importRules({
  layers: [
    { name: "top", comment: "above", path: "^src/top/" },
    { name: "bottom", comment: "below", path: "^src/bottom/" },
  ],
  known: ${JSON.stringify(known)},
});
`,
  );
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  try {
    const { stdout, stderr } = await run(
      DEPCRUISE,
      ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
      { cwd: dir },
    );
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const UP = {
  "src/top/a.ts": "export const a = 1;\n",
  "src/bottom/b.ts": 'import { a } from "../top/a.ts";\nexport const b = a;\n',
};
const CIRCLE = {
  "src/bottom/x.ts": 'import { y } from "./y.ts";\nexport const x = () => y;\n',
  "src/bottom/y.ts": 'import { x } from "./x.ts";\nexport const y = () => x;\n',
};

it("passes imports that run down the layers or stay in one", async () => {
  const result = await check({
    "src/top/a.ts": 'import { b } from "../bottom/b.ts";\nexport const a = b;\n',
    "src/top/c.ts": 'import { a } from "./a.ts";\nexport const c = a;\n',
    "src/bottom/b.ts": "export const b = 1;\n",
  });
  expect(result.output).toContain("no dependency violations");
  expect(result.ok).toBe(true);
}, 60_000);

it("fails an import up the layers and a circle, naming each", async () => {
  const result = await check({ ...UP, ...CIRCLE });
  expect(result.ok).toBe(false);
  expect(result.output).toContain("layer-bottom: src/bottom/b.ts → src/top/a.ts");
  expect(result.output).toMatch(/no-circular: src\/bottom\/(x|y)\.ts/);
}, 60_000);

it("lets a known violation through by its exact import, and fails any new one", async () => {
  const known: Known[] = [
    { rule: "layer-bottom", from: "src/bottom/b.ts", to: "src/top/a.ts" },
    { rule: "no-circular", from: "src/bottom/x.ts", to: "src/bottom/y.ts" },
    { rule: "no-circular", from: "src/bottom/y.ts", to: "src/bottom/x.ts" },
  ];
  const quiet = await check({ ...UP, ...CIRCLE }, known);
  expect(quiet.output).toContain("no dependency violations");
  expect(quiet.ok).toBe(true);

  const more = await check(
    {
      ...UP,
      ...CIRCLE,
      // The same upward import from another file, another one from the known file, and a
      // new circle through a known arrow.
      "src/top/e.ts": "export const e = 1;\n",
      "src/bottom/b.ts":
        'import { a } from "../top/a.ts";\nimport { e } from "../top/e.ts";\nexport const b = a + e;\n',
      "src/bottom/d.ts": 'import { a } from "../top/a.ts";\nexport const d = a;\n',
      "src/bottom/y.ts":
        'import { x } from "./x.ts";\nimport "./z.ts";\nexport const y = () => x;\n',
      "src/bottom/z.ts": 'import { y } from "./y.ts";\nexport const z = () => y;\n',
    },
    known,
  );
  expect(more.ok).toBe(false);
  expect(more.output).toContain("layer-bottom: src/bottom/d.ts → src/top/a.ts");
  expect(more.output).toContain("layer-bottom: src/bottom/b.ts → src/top/e.ts");
  expect(more.output).not.toContain("src/bottom/b.ts → src/top/a.ts");
  expect(more.output).toMatch(/no-circular: src\/bottom\/(y|z)\.ts →\s+src\/bottom\/(y|z)\.ts/);
}, 60_000);

it("refuses a file that is in no layer", async () => {
  const result = await check({ ...UP, "src/stray.ts": "export const stray = 1;\n" });
  expect(result.ok).toBe(false);
  expect(result.output).toContain("src/stray.ts: in no layer");
}, 60_000);
