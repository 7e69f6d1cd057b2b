/**
 * Builds the real server (`cmd/server`) and the seed's own Go market maker (`cmd/marketmaker`)
 * once per source hash into `<cache>/matchingo-<hash>/`, so only the first run pays the Go
 * build (about 50 s cold on 2 cores); later ones find the binaries in milliseconds.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, withLock } from "./processes.ts";
import { cacheRoot, findMatchingoSource, hashSource, SOURCE_ENV } from "./source.ts";

export interface MatchingoBinaries {
  readonly server: string;
  readonly marketmaker: string;
  readonly sourceHash: string;
}

export interface BuildOptions {
  /** The source folder (default: `MATCHINGO_SRC`, else `../shared/third_party/matchingo`). */
  readonly source?: string;
  /** Progress lines ("building …", "cached …"). */
  readonly log?: (line: string) => void;
}

const built = new Map<string, Promise<MatchingoBinaries>>();

export function buildRealMatchingo(options: BuildOptions = {}): Promise<MatchingoBinaries> {
  const source = options.source ?? findMatchingoSource().dir;
  if (!source) {
    return Promise.reject(
      new Error(
        `no Matchingo source: looked at ${findMatchingoSource().lookedAt}; set ${SOURCE_ENV} to a checkout of github.com/erain9/matchingo`,
      ),
    );
  }
  let promise = built.get(source);
  if (!promise) {
    promise = build(source, options.log ?? (() => {}));
    built.set(source, promise);
    promise.catch(() => built.delete(source));
  }
  return promise;
}

async function build(source: string, log: (line: string) => void): Promise<MatchingoBinaries> {
  const sourceHash = hashSource(source);
  const dir = join(cacheRoot(), `matchingo-${sourceHash}`);
  const binaries = {
    server: join(dir, "server"),
    marketmaker: join(dir, "marketmaker"),
    sourceHash,
  };
  if (existsSync(binaries.server) && existsSync(binaries.marketmaker)) {
    log(`matchingo ${sourceHash}: cached in ${dir}`);
    return binaries;
  }
  mkdirSync(cacheRoot(), { recursive: true });
  await withLock(`${dir}.lock`, async () => {
    if (existsSync(binaries.server) && existsSync(binaries.marketmaker)) return;
    // The source may be read-only (CI's copy of shared/ is): go build may write go.sum, so it
    // builds a writable copy.
    const work = mkdtempSync(join(tmpdir(), "matchingo-src-"));
    const out = mkdtempSync(join(cacheRoot(), `.matchingo-${sourceHash}-`));
    try {
      cpSync(source, work, {
        recursive: true,
        filter: (path) => !path.endsWith("/.git"),
      });
      // No .git in the copy: without -buildvcs=false go build refuses to stamp VCS info.
      const goflags = `${process.env.GOFLAGS ?? ""} -buildvcs=false`.trim();
      const env = { ...process.env, GOFLAGS: goflags };
      for (const command of ["server", "marketmaker"] as const) {
        const started = Date.now();
        log(`matchingo ${sourceHash}: go build ./cmd/${command} (from ${source})`);
        await run("go", ["build", "-o", join(out, command), `./cmd/${command}`], {
          cwd: work,
          env,
        });
        log(`matchingo ${sourceHash}: built cmd/${command} in ${Date.now() - started} ms`);
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(out, dir);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
  return binaries;
}
