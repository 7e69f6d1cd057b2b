/**
 * mm-runner's import check (`pnpm lint`; the rules are built by `../../import-rules.cjs`):
 * no import circle in `src/`, and no import running up these layers. A module imports its
 * own layer or one below it, never one above. The README's "Layout" shows the same layers.
 */
const { importRules } = require("../../import-rules.cjs");

/** Top to bottom. */
const layers = [
  {
    name: "entry",
    comment: "the command, the report command and the library entry",
    path: "^src/(main|report-main|index)[.]ts$",
  },
  {
    name: "runner",
    comment: "runner.ts: builds and wires everything below, and shuts it down",
    path: "^src/runner[.]ts$",
  },
  {
    name: "ops",
    comment: "the ops HTTP server: health, metrics, status, the live page; it mounts control/http",
    path: "^src/ops/",
  },
  {
    name: "control",
    comment: "operator control: live params, reload, runner control; http/ is its /control API",
    path: "^src/control/",
  },
  {
    name: "supervisor",
    comment: "supervisor.ts and workers/: the worker threads, their host side and restarts",
    // workers/protocol.ts and workers/wire-error.ts are wire types: they move into
    // workers/wire/ (the "boundary" part of #23) and are in the wire layer until then.
    path: "^src/(supervisor[.]ts$|workers/(?!wire/|protocol[.]ts$|wire-error[.]ts$))",
  },
  {
    name: "parts",
    comment: "the price chain, log sinks, the sandbox, small helpers",
    path: "^src/((prices|log|sandbox)/|(shutdown-budget|venue-reach)[.]ts$)",
  },
  {
    name: "metrics",
    comment: "Prometheus metrics from observed events and the status",
    path: "^src/metrics/",
  },
  {
    name: "status",
    comment: "the runner's status: per-symbol trackers and the status model",
    path: "^src/status/",
  },
  {
    name: "books",
    comment: "the trade stream, the journal, the ledger",
    path: "^src/(fills|journal|ledger)/",
  },
  {
    name: "wire",
    comment: "the types crossing between the main thread and the workers",
    path: "^src/workers/(wire/|protocol[.]ts$|wire-error[.]ts$)",
  },
  {
    name: "config",
    comment: "settings, their sources and checks, the resolved configuration",
    path: "^src/config/",
  },
];

/** Within control/: the domain does not know its HTTP routes. */
const rules = [
  {
    name: "control-domain-not-http",
    severity: "error",
    comment: "control/'s domain does not import its HTTP routes (control/http imports the domain).",
    from: { path: "^src/control/", pathNot: "^src/control/http/" },
    to: { path: "^src/control/http/" },
  },
];

/**
 * Violations there before the check, each in another part of #23's territory: the lead
 * deletes an entry when merging the branch that removes its import. Nothing else is let
 * through.
 */
const known = [
  // "boundary" (t-boundary): workers/protocol ↔ workers/wire-error.
  { rule: "no-circular", from: "src/workers/protocol.ts", to: "src/workers/wire-error.ts" },
  { rule: "no-circular", from: "src/workers/wire-error.ts", to: "src/workers/protocol.ts" },
];

/**
 * Circles between folders are not checked yet: every one left goes through an import above
 * (config/control-token.ts → ops/address.ts, or the wire types still in workers/ itself).
 * The lead turns this on (deletes the line) once `known` is empty.
 */
const folderCircles = false;

module.exports = importRules({ layers, rules, known, folderCircles });
