/**
 * `mm-runner report [--since DATE] [--until DATE] [--symbol S] [--mark SYMBOL=PRICE]…
 * [--csv FILE]`, plus the runner's own flags/environment/config file for STATE_DIR and
 * MARKET_MAKER_ID: reads the ledger of that runner (read-only, so it may run beside a
 * live runner) and prints the report.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { isDecimalString } from "@matchingo-mm/core";
import { describeProblem, type Problem } from "../config/raw.ts";
import { resolveConfig } from "../config/resolve.ts";
import { openLedger } from "./ledger.ts";
import { ledgerPath } from "./path.ts";
import { buildReport, fillsCsv, formatReport, type ReportPeriod } from "./report.ts";

export interface ReportCommandInput {
  /** Arguments after `report`. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const REPORT_USAGE = `Usage: mm-runner report [options] [runner flags]
  --since DATE           fills from this UTC date or ISO time on (e.g. 2026-11-30)
  --until DATE           fills before this UTC date or ISO time
  --symbol SYMBOL        one symbol only
  --mark SYMBOL=PRICE    mark SYMBOL's position at PRICE (default: its last fill price); repeatable
  --csv FILE             also write the period's fills to FILE as CSV
The ledger is STATE_DIR/<MARKET_MAKER_ID>/ledger.sqlite, from the same flags, environment
and config file as the runner (--state-dir, --market-maker-id, --config).
`;

interface ReportOptions {
  since?: number;
  until?: number;
  symbol?: string;
  marks: Record<string, string>;
  csv?: string;
  help: boolean;
  rest: string[];
}

/** Runs the report; returns the exit code (0 done, 1 no ledger or an unreadable one, 2 bad arguments). */
export function runReportCommand(input: ReportCommandInput): number {
  const problems: Problem[] = [];
  const options = parseReportArgs(input.argv, problems);
  if (options.help) {
    input.stdout(REPORT_USAGE);
    return 0;
  }
  const resolved = resolveConfig({ argv: options.rest, env: input.env, cwd: input.cwd });
  problems.push(...resolved.problems);
  if (problems.length > 0 || !resolved.config) {
    input.stderr(
      `mm-runner report: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems
        .map((problem) => `  - ${describeProblem(problem)}`)
        .join("\n")}\n${REPORT_USAGE}`,
    );
    return 2;
  }
  const path = ledgerPath(resolved.config.stateDir, resolved.config.runnerId);
  if (!existsSync(path)) {
    input.stderr(
      `mm-runner report: no ledger at ${path} (STATE_DIR and MARKET_MAKER_ID as the runner's?)\n`,
    );
    return 1;
  }
  let ledger: ReturnType<typeof openLedger>;
  try {
    ledger = openLedger(path, { readonly: true });
  } catch (error) {
    // One line: what is wrong with which file; no stack trace.
    input.stderr(`mm-runner report: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const all = ledger.fills(options.symbol === undefined ? {} : { symbol: options.symbol });
    const period: ReportPeriod = {
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
    };
    const report = buildReport(all, period, options.marks);
    input.stdout(`Ledger ${path}\n${formatReport(report)}`);
    if (options.csv !== undefined) {
      const inPeriod = all.filter(
        (fill) =>
          (period.since === undefined || fill.time >= period.since) &&
          (period.until === undefined || fill.time < period.until),
      );
      const file = resolvePath(input.cwd, options.csv);
      writeFileSync(file, fillsCsv(inPeriod));
      input.stdout(`Wrote ${inPeriod.length} fills to ${file}\n`);
    }
    return 0;
  } catch (error) {
    // A page damaged past the header shows only while reading; a CSV file that cannot be
    // written: one line either way.
    input.stderr(`mm-runner report: ${path}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    ledger.close();
  }
}

const REPORT_FLAGS = new Set(["--since", "--until", "--symbol", "--mark", "--csv"]);

function parseReportArgs(argv: readonly string[], problems: Problem[]): ReportOptions {
  const options: ReportOptions = { marks: {}, help: false, rest: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") continue;
    if (arg === "-h" || arg === "--help") {
      options.help = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if (!REPORT_FLAGS.has(flag)) {
      options.rest.push(arg);
      continue;
    }
    let value = equals === -1 ? argv[++index] : arg.slice(equals + 1);
    if (value === undefined || value === "" || (equals === -1 && value.startsWith("--"))) {
      problems.push({ name: flag, message: "needs a value" });
      if (value?.startsWith("--")) index--;
      continue;
    }
    value = value.trim();
    if (flag === "--since" || flag === "--until") {
      const time = parseTime(value);
      if (time === undefined) {
        problems.push({
          name: flag,
          value,
          message: "must be a UTC date like 2026-11-30 or an ISO time like 2026-11-30T12:00:00Z",
        });
      } else if (flag === "--since") options.since = time;
      else options.until = time;
    } else if (flag === "--symbol") {
      options.symbol = value.toUpperCase();
    } else if (flag === "--mark") {
      const at = value.indexOf("=");
      const symbol = value.slice(0, at).trim().toUpperCase();
      const price = value.slice(at + 1).trim();
      if (at <= 0 || !isDecimalString(price) || price.startsWith("-") || !/[1-9]/.test(price)) {
        problems.push({
          name: flag,
          value,
          message: "must be SYMBOL=PRICE with a price > 0, e.g. BTC-USDT=50000",
        });
      } else {
        options.marks[symbol] = price;
      }
    } else {
      options.csv = value;
    }
  }
  return options;
}

function parseTime(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const time = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(time) ? undefined : time;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}
