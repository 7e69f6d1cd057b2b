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
    comment: "runner.ts and runner/: builds and wires everything below, and shuts it down",
    path: "^src/runner([.]ts$|/)",
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
    comment: "supervisor.ts, supervisor/, workers/: the worker threads, their host side, restarts",
    path: "^src/(supervisor([.]ts$|/)|workers/(?!wire/))",
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
    path: "^src/workers/wire/",
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

module.exports = importRules({ layers, rules });
