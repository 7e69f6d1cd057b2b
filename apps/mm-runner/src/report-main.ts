/** `mm-runner report …` / `pnpm --filter mm-runner report -- …`: see ledger/report-command.ts. */
import { userCwd } from "./config/state-dir.ts";
import { runReportCommand } from "./ledger/report-command.ts";

process.exitCode = runReportCommand({
  argv: process.argv.slice(2),
  env: process.env,
  // Under `pnpm --filter mm-runner report` the process runs in apps/mm-runner: `--csv
  // fills.csv` lands where the user is.
  cwd: userCwd(process.env, process.cwd()),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
