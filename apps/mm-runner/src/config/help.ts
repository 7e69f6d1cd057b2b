import { flagsOf, SETTINGS } from "./settings.ts";

/** `--help`: every setting with its environment name, flag, default and meaning. */
export function helpText(): string {
  const lines = [
    "mm-runner: keeps a ladder of quotes on Matchingo order books, one worker thread per symbol.",
    "",
    "Usage: mm-runner [--config file.yaml] [--flag value ...]",
    "       (pnpm --filter mm-runner start -- --num-levels 5; node --import tsx apps/mm-runner/src/main.ts)",
    "       mm-runner report --since 2026-11-30 (the ledger's fills and P&L; report --help)",
    "",
    "Settings, highest first: flags, environment, config file (--config or MM_CONFIG; JSON or",
    "YAML, camelCase keys, per-symbol overrides under `symbols:`), defaults.",
    "",
  ];
  for (const setting of SETTINGS) {
    const names = [setting.env, ...(setting.aliases ?? [])].join(", ");
    const flags = flagsOf(setting).join(", ");
    const fallback = setting.default === undefined ? "" : ` (default ${setting.default})`;
    lines.push(`  ${names}  ${flags}  [file: ${setting.key}]${fallback}`);
    lines.push(`      ${setting.help}`);
  }
  lines.push(
    "",
    "Other flags: --config <file>, --print-config (show the resolved settings and exit),",
    "             --help, --version",
    "Exit codes: 0 stopped cleanly, 1 runtime failure or orders left, 2 bad configuration.",
  );
  return lines.join("\n");
}
