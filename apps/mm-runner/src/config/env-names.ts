import { SETTINGS } from "./settings.ts";

/** Environment names the runner reads besides its settings. */
const OTHER_NAMES = ["MM_CONFIG", "XDG_STATE_HOME", "INIT_CWD"] as const;

/** This repository's own test and tool variables: not settings, not typos. */
const REPO_NAMES = /^(?:MM_TEST_|MATCHINGO_SERVER_BIN$|BENCH_|CHROMIUM_)/;

/** The shape of the runner's names: upper snake case. */
const SETTING_SHAPE = /^[A-Z][A-Z0-9_]*$/;

/** Prefixes only the runner's own settings use: an unknown name with one is a mistake. */
const OWN_PREFIXES = ["MATCHINGO_", "SANDBOX_", "SYNTHETIC_", "MM_"];

/**
 * Names that look like settings but are another program's (Node, npm/pnpm, CI, shells);
 * a setting one or two letters away from one of them is still not a typo of ours.
 */
const FOREIGN =
  /^(?:NODE_|NPM_|PNPM_|npm_|TURBO_|VITEST|CI_|GITHUB_|RUNNER_|LC_|XDG_|DOCKER_|KUBERNETES_|SSH_|TERM|COLOR|FORCE_COLOR|NO_COLOR|DEBUG|HTTP_|HTTPS_|NO_PROXY|ALL_PROXY|LOG_LEVEL_)/;

const KNOWN: readonly string[] = [
  ...SETTINGS.flatMap((setting) => [setting.env, ...(setting.aliases ?? [])]),
  ...OTHER_NAMES,
];
const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN);

/**
 * Environment variables that look like one of the runner's settings mistyped: a flag or a
 * config-file key the runner does not know is refused, but the environment holds every
 * program's variables, so an unknown name is only warned about, and only when it is one
 * or two edits (a letter added, dropped, changed, or two swapped) from a known name (one
 * without an underscore), or
 * carries a prefix only the runner uses. Each warning names the closest known name.
 */
export function mistypedEnvironmentNames(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (KNOWN_SET.has(name) || !SETTING_SHAPE.test(name)) continue;
    if (FOREIGN.test(name) || REPO_NAMES.test(name)) continue;
    const closest = closestKnown(name);
    const ownPrefix = OWN_PREFIXES.some((prefix) => name.startsWith(prefix));
    // Without an underscore (LOGLEVEL) only one edit away, and not the short system names
    // (USER, SHELL...).
    const near = name.includes("_")
      ? closest.distance <= 2
      : name.length >= 6 && closest.distance <= 1;
    if (near || ownPrefix) {
      warnings.push(
        `${name}: did you mean ${closest.name}? (not a setting of mm-runner, so it is ignored; --help lists every setting)`,
      );
    }
  }
  return warnings;
}

function closestKnown(name: string): { name: string; distance: number } {
  let best = { name: KNOWN[0]!, distance: Number.POSITIVE_INFINITY };
  for (const known of KNOWN) {
    const distance = editDistance(name, known);
    if (distance < best.distance) best = { name: known, distance };
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
