/**
 * The worker's Node flags: the parent's, which a worker inherits when none are given. From
 * source, tsx's loader is taken out (`boot.mjs` registers it in the worker); the list is
 * then explicit, and Node refuses V8 flags in an explicit list (they are process-wide and
 * reach the worker anyway), so they are left out of it.
 */
export function workerExecArgv(execArgv: readonly string[]): { execArgv?: string[] } {
  const kept = withoutTsxLoader(execArgv);
  if (kept.length === execArgv.length) return {};
  return { execArgv: kept.filter((arg) => !isV8Flag(arg)) };
}

/** A flag Node hands to V8 (`--max-old-space-size`, `--max-semi-space-size`, `--stack-size`...). */
function isV8Flag(arg: string): boolean {
  const name = arg.split("=")[0]!;
  return name.startsWith("--") && V8_FLAGS.has(name.replaceAll("_", "-"));
}

const V8_FLAGS: ReadonlySet<string> = new Set([
  "--max-old-space-size",
  "--max-semi-space-size",
  "--stack-size",
  "--expose-gc",
  "--jitless",
  "--lite-mode",
  "--optimize-for-size",
  "--single-threaded-gc",
  "--interpreted-frames-native-stack",
  "--perf-basic-prof",
  "--perf-basic-prof-only-functions",
  "--perf-prof",
]);

/**
 * The parent's Node flags minus tsx's loader (from source, `boot.mjs` registers it in the
 * worker); other flags, e.g. a test's `--import` preload, reach the worker.
 */
function withoutTsxLoader(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const arg = execArgv[index]!;
    const next = execArgv[index + 1];
    if ((arg === "--import" || arg === "--require" || arg === "-r") && next && isTsx(next)) {
      index++;
      continue;
    }
    if (/^--(import|require)=/.test(arg) && isTsx(arg.slice(arg.indexOf("=") + 1))) continue;
    kept.push(arg);
  }
  return kept;
}

function isTsx(specifier: string): boolean {
  return specifier === "tsx" || /[\\/]tsx[\\/]/.test(specifier) || specifier.startsWith("tsx/");
}
