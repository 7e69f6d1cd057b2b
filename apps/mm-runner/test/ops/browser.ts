import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where a system Chromium usually is (Debian's `chromium` first, as CI installs it). */
const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/**
 * The Chromium the browser tests drive, first found of:
 * 1. `CHROMIUM_PATH`, when set (must exist);
 * 2. a system Chromium (`CHROMIUM_SYSTEM_PATHS`, colon separated, overrides the list above;
 *    set it empty to hide the system's and try the fallback);
 * 3. the Chromium inside the `@sparticuz/chromium` npm package (the binary ships in its
 *    tarball, brotli-compressed; unpacked to the temp folder on first use), so
 *    `pnpm install && pnpm test` needs no apt step.
 * A missing browser is a failure, never a skip.
 */
export async function chromiumPath(env = process.env): Promise<string> {
  if (env.CHROMIUM_PATH !== undefined && env.CHROMIUM_PATH !== "") {
    if (!existsSync(env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH}: no such file`);
    }
    return env.CHROMIUM_PATH;
  }
  const system =
    env.CHROMIUM_SYSTEM_PATHS === undefined
      ? SYSTEM_PATHS
      : env.CHROMIUM_SYSTEM_PATHS.split(":").filter((path) => path !== "");
  const found = system.find((path) => existsSync(path));
  if (found !== undefined) return found;
  try {
    const { default: bundled } = await import("@sparticuz/chromium");
    return await bundled.executablePath();
  } catch (error) {
    throw new Error(
      `no Chromium for the status-page browser tests: none at ${system.join(", ") || "(no system paths)"}, and the @sparticuz/chromium package's could not be unpacked (${(error as Error).message}). Run pnpm install, install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      { cause: error },
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    // A POSIX locale in the environment (LANG=C) becomes "en-US@posix" in some builds,
    // which Intl refuses: the page's number formatting would throw.
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" },
    args: [
      "--lang=en-US",
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
