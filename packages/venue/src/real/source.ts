/**
 * Where the real Matchingo's source is, what it hashes to, and where built things are cached.
 * The source is an unmodified checkout of github.com/erain9/matchingo (the Go module proxy
 * does not serve the module itself, so we build it): `MATCHINGO_SRC`, else
 * `../shared/third_party/matchingo` beside the repository root.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SOURCE_ENV = "MATCHINGO_SRC";

/** The repository root: the folder above this file that holds pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("no pnpm-workspace.yaml above packages/venue/src/real");
    dir = parent;
  }
}

export interface SourceLookup {
  /** The source folder, when one was found (it holds go.mod and cmd/server). */
  readonly dir?: string;
  /** Where it was looked for, for a message that says how to get it. */
  readonly lookedAt: string;
}

/**
 * `$MATCHINGO_SRC` when set (relative to the repository root), else `shared/third_party/matchingo` in the repository root's
 * parent or any folder above it (in CI the clone sits beside a copy of shared/).
 */
export function findMatchingoSource(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SourceLookup {
  const explicit = env[SOURCE_ENV];
  if (explicit) {
    // Relative to the repository root, not the working directory: turbo runs each package's
    // tests in that package's folder.
    const dir = resolve(repoRoot(), explicit);
    return isMatchingoSource(dir)
      ? { dir, lookedAt: dir }
      : { lookedAt: `${SOURCE_ENV}=${explicit} (no go.mod and cmd/server there)` };
  }
  const tried: string[] = [];
  let dir = dirname(repoRoot());
  for (;;) {
    const candidate = join(dir, "shared", "third_party", "matchingo");
    tried.push(candidate);
    if (isMatchingoSource(candidate)) return { dir: candidate, lookedAt: candidate };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { lookedAt: `${SOURCE_ENV} (unset), ${tried.join(", ")}` };
}

function isMatchingoSource(dir: string): boolean {
  return existsSync(join(dir, "go.mod")) && existsSync(join(dir, "cmd", "server"));
}

/** Folders that are not part of what `go build` reads, or that only an editor or git made. */
const SKIPPED = new Set([".git", ".idea", ".vscode", "node_modules"]);

/**
 * A sha256 over every file's relative path and bytes, in sorted order: the same checkout
 * gives the same hash wherever it sits, and any edit gives a new one. A few MB: ~0.1 s.
 */
export function hashSource(dir: string): string {
  const hash = createHash("sha256");
  const walk = (folder: string) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        hash.update(`${relative(dir, path)}\0${statSync(path).size}\0`);
        hash.update(readFileSync(path));
      }
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 16);
}

/** `${XDG_CACHE_HOME:-~/.cache}/matchingo-mm`: built binaries and Kafka's jars. */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "matchingo-mm");
}
