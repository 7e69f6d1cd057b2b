import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** vitest globalSetup: the built runner (`dist/`) is what the `built` tests start. */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: APP_DIR, stdio: "inherit" });
}
