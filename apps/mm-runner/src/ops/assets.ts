import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Read once at start from node_modules: the page loads its chart library from the runner, never a CDN. */
export const UPLOT_JS: string = readFileSync(
  require.resolve("uplot/dist/uPlot.iife.min.js"),
  "utf8",
);
export const UPLOT_CSS: string = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
