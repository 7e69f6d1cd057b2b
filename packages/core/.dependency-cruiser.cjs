/**
 * core's import check (`pnpm lint`; the rules are built by `../../import-rules.cjs`): no
 * import circle in `src/`, no import running up these layers, and nothing imported from
 * outside core but Web-standard APIs (no `node:`, no package: core runs under Node, Bun and
 * Deno and depends on nothing of ours). The README's "Layout" shows the same layers.
 */
const { importRules } = require("../../import-rules.cjs");

/** Top to bottom. */
const layers = [
  {
    name: "entry",
    comment: "index.ts: the package's one export surface",
    path: "^src/index[.]ts$",
  },
  {
    name: "market-maker",
    comment: "the quoting loop: cycles, orders placed and tracked, fills, risk reactions",
    path: "^src/market-maker/",
  },
  {
    name: "strategies",
    comment: "what to quote: the seed's ladder, Avellaneda–Stoikov",
    path: "^src/strategies/",
  },
  { name: "risk", comment: "position and loss limits, skew, P&L", path: "^src/risk/" },
  {
    name: "base",
    comment: "decimals, the ladder, planning, ports, events, errors, async primitives",
    path: "^src/(?!index[.]ts$|market-maker/|strategies/|risk/)",
  },
];

const rules = [
  {
    name: "core-is-pure",
    severity: "error",
    comment: "core imports only itself: no node: module, no package (Web-standard APIs only).",
    from: { path: "^src/" },
    to: { pathNot: "^src/" },
  },
];

module.exports = importRules({ layers, rules });
