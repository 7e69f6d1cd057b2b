// `pnpm build`: the runner as plain JavaScript in dist/, bundled once here so that
// production starts it with no TypeScript loader and no bundler (`node dist/main.js`).
//
//   dist/main.js    the command (src/main.ts)
//   dist/worker.js  every worker thread's entry (src/workers/worker.ts)
//   dist/report.js  the ledger report (src/report-main.ts; `mm-runner report`)
//   dist/page/      the live page's script and style (read next to the ops server)
//
// Our workspace packages (TypeScript sources) and third-party packages are inside. Kept
// external, loaded from node_modules at run time: better-sqlite3 (a native addon) and
// pino/pino-pretty (they start helper threads from files of their own).
import { copyFileSync, cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const APP = fileURLToPath(new URL("..", import.meta.url));
const EXTERNAL = ["better-sqlite3", "pino", "pino-pretty"];

const started = performance.now();
rmSync(`${APP}/dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: APP,
  entryPoints: {
    main: "src/main.ts",
    worker: "src/workers/worker.ts",
    report: "src/report-main.ts",
  },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  // Bundled CommonJS packages call require(); ESM output has none of its own.
  banner: {
    js: 'import { createRequire as __mmCreateRequire } from "node:module"; const require = __mmCreateRequire(import.meta.url);',
  },
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
// Files our packages read next to their own module (`new URL("./x", import.meta.url)`):
// once bundled, that module is dist/main.js, so they go next to it.
const ASSETS = ["../../packages/venue/src/orderbook.binpb"];
for (const asset of ASSETS)
  copyFileSync(`${APP}/${asset}`, `${APP}/dist/${asset.split("/").at(-1)}`);
cpSync(`${APP}/src/ops/page`, `${APP}/dist/page`, { recursive: true });
const bytes = Object.entries(result.metafile.outputs)
  .filter(([name]) => name.endsWith(".js"))
  .map(([name, output]) => `${name} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(
  `mm-runner built in ${Math.round(performance.now() - started)} ms: ${bytes.join(", ")}`,
);
