import { readFileSync } from "node:fs";

/**
 * The live page: an HTML shell, its script (`/assets/page.js`) and style
 * (`/assets/page.css`), and uPlot from node_modules (`/assets/uplot.*`). Everything comes
 * from the runner; the CSP allows nothing from elsewhere.
 *
 * The page listens to `/events` (one status snapshot per message; it falls back to
 * polling `/status`), starts its charts from `/history` (kept by the runner), shows a
 * summary table with more than one symbol (a row opens the symbol's card; above four
 * symbols one card at a time) and, once an operator enters the control token, pause,
 * resume, the kill switch and a parameter form per symbol.
 */

const read = (name: string): string =>
  readFileSync(new URL(`./page/${name}`, import.meta.url), "utf8");

export const PAGE_JS: string = read("page.js");
export const PAGE_CSS: string = read("page.css");

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm-runner</title>
<link rel="stylesheet" href="assets/uplot.css">
<link rel="stylesheet" href="assets/page.css">
</head>
<body>
<div id="synthetic-banner" role="alert">SYNTHETIC PRICES: these quotes follow a simulated price, not a live market.</div>
<header>
  <h1>Matchingo market maker</h1>
  <span>venue <span id="venue">-</span></span>
  <span>fills <span id="fill-stream">-</span></span>
  <span class="muted" id="uptime"></span>
  <span id="connection" class="down">connecting</span>
  <span class="muted"><a href="status">status JSON</a> \u00b7 <a href="metrics">metrics</a> \u00b7 <a href="readyz">readyz</a></span>
</header>
<div id="control-bar">
  <form id="token-form">
    <label for="token">control token</label>
    <input id="token" type="password" autocomplete="off" size="24">
    <button type="submit">unlock controls</button>
  </form>
  <span id="token-state" class="muted"></span>
  <span id="token-error" class="error"></span>
  <button id="kill" type="button">kill switch</button>
  <span id="kill-message"></span>
</div>
<div id="runner-reasons"></div>
<div id="summary-wrap" class="hidden">
<table id="summary" class="summary">
  <thead><tr><th>symbol</th><th>state</th><th>price</th><th>spread</th><th>position</th><th>P&amp;L</th><th>fills</th><th>last cycle</th></tr></thead>
  <tbody></tbody>
</table>
</div>
<main id="symbols"></main>
<section id="memory" class="hidden">
  <div class="chart-title">memory (MiB): the process's RSS, the main thread's heap, the workers' heaps together</div>
  <div id="memory-chart" class="chart small" data-chart="memory"></div>
</section>
<script src="assets/uplot.js"></script>
<script src="assets/page.js"></script>
</body>
</html>
`;

export const STATUS_PAGE_HTML: string = HTML;

/** Scripts, styles and requests from this origin only; nothing inline, nothing elsewhere. */
export const STATUS_PAGE_CSP: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
