/** `mm-runner report …` / `pnpm --filter mm-runner report -- …`: see ledger/report-command.ts. */
import { runReportCommand } from "./ledger/report-command.ts";

process.exitCode = runReportCommand({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
