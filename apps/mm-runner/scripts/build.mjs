// `pnpm build`: the runner as plain JavaScript in dist/, bundled once here so that
// production starts it with no TypeScript loader and no bundler (`node dist/main.js`).
//
//   dist/main.js    the command (src/main.ts)
//   dist/worker.js  every worker thread's entry (src/workers/thread/worker.ts)
//   dist/report.js  the ledger report (src/report-main.ts; `mm-runner report`)
//   dist/page/      the live page's script and style (read next to the ops server)
//
// Our workspace packages (TypeScript sources) and third-party packages are inside. Kept
// external, loaded from node_modules at run time: better-sqlite3 (a native addon) and
// pino/pino-pretty (they start helper threads from files of their own). Also `ws`, which
// price-sources imports by a variable specifier on first stream use (Node 20 has no global
// WebSocket): it resolves from dist/, so it is a dependency of this package too.
import { copyFileSync, cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const APP = fileURLToPath(new URL("..", import.meta.url));
const EXTERNAL = ["better-sqlite3", "pino", "pino-pretty"];

const started = performance.now();
rmSync(`${APP}/dist`, { recursive: true, force: true });
const common = {
  absWorkingDir: APP,
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
};
const results = await Promise.all([
  build({ ...common, entryPoints: { main: "src/main.ts", report: "src/report-main.ts" } }),
  // Every worker is an isolate of its own that holds its entry's source text and parses
  // it: minified, that is about half the bytes per worker (names kept: errors and logs
  // read constructor names).
  build({
    ...common,
    entryPoints: { worker: "src/workers/thread/worker.ts" },
    minify: true,
    keepNames: true,
  }),
]);
const outputs = Object.assign({}, ...results.map((result) => result.metafile.outputs));
// Files our packages read next to their own module (`new URL("./x", import.meta.url)`):
// once bundled, that module is dist/main.js, so they go next to it.
const ASSETS = ["../../packages/venue/src/orderbook.binpb"];
for (const asset of ASSETS)
  copyFileSync(`${APP}/${asset}`, `${APP}/dist/${asset.split("/").at(-1)}`);
cpSync(`${APP}/src/ops/page`, `${APP}/dist/page`, { recursive: true });
const bytes = Object.entries(outputs)
  .filter(([name]) => name.endsWith(".js"))
  .map(([name, output]) => `${name} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(
  `mm-runner built in ${Math.round(performance.now() - started)} ms: ${bytes.join(", ")}`,
);
