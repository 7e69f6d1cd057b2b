import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * STATE_DIR when it is not set: one folder whatever the working directory, so the dev
 * runner (`pnpm --filter mm-runner start`, run in apps/mm-runner), the built one and
 * `mm-runner report` (run from anywhere) share one journal and one ledger. The XDG base
 * directory rule: `$XDG_STATE_HOME/matchingo-mm`, else `~/.local/state/matchingo-mm`.
 */
export function defaultStateDir(env: Env): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec: a relative value is invalid and is ignored.
  if (xdg !== undefined && xdg !== "" && isAbsolute(xdg)) return join(xdg, "matchingo-mm");
  const home = env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir();
  return join(home, ".local", "state", "matchingo-mm");
}

/**
 * The directory the user typed the command in: relative paths (`--csv fills.csv`,
 * `--config mm.yaml`, STATE_DIR) are relative to it. pnpm and npm run a package's script
 * in the package's folder and say where the user was in INIT_CWD.
 */
export function userCwd(env: Env, cwd: string): string {
  const init = env.INIT_CWD;
  if (init === undefined || init === "" || !isAbsolute(init)) return cwd;
  try {
    return existsSync(init) && statSync(init).isDirectory() ? init : cwd;
  } catch {
    return cwd;
  }
}
