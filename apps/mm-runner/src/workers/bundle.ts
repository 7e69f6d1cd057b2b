import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const WORKER_SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));
const OURS = "@matchingo-mm/";
const BUILTINS = new Set(builtinModules);

export interface WorkerBundle {
  /** The worker entry as one plain ESM file: start it with no loader. */
  readonly url: URL;
  readonly bytes: number;
  /** Time spent bundling (0 when an identical bundle was already cached). */
  readonly ms: number;
}

export interface BundleOptions {
  /** Where bundles are kept, by content hash. Default `<tmp>/mm-runner-workers`. */
  readonly cacheDir?: string;
}

/**
 * Bundles the worker thread's entry once, in the main thread: our own code and our
 * workspace packages (whose exports are TypeScript sources) become one plain ESM file, so
 * a worker starts without a TypeScript loader (in Node 20 every registration of one starts
 * its own hooks thread) and without transpiling the whole stack again in every thread.
 * Third-party packages stay external, imported by the absolute URL of the very file Node
 * would resolve from where they are used (pnpm keeps them out of a shared node_modules),
 * so they load as usual at run time and the bundle may live in any folder.
 */
export async function bundleWorker(options: BundleOptions = {}): Promise<WorkerBundle> {
  const started = performance.now();
  const result = await build({
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    // Resolve exactly as Node does for `import`: no bundler-only `module` condition/field.
    conditions: [],
    mainFields: ["main"],
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "silent",
    plugins: [thirdPartyExternal()],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for the worker entry");
  const hash = createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
  const dir = options.cacheDir ?? join(tmpdir(), "mm-runner-workers");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `worker-${hash}.mjs`);
  if (!existsSync(path)) {
    // Written whole, then renamed: a runner starting at the same time never reads half a file.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, path);
  }
  return {
    url: pathToFileURL(path),
    bytes: file.contents.byteLength,
    ms: Math.round(performance.now() - started),
  };
}

function thirdPartyExternal(): Plugin {
  return {
    name: "third-party-external",
    setup(builder) {
      // Bare specifiers only (not ./x, ../x, /x).
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === "resolving") return undefined;
        const name = args.path.startsWith("@")
          ? args.path.split("/").slice(0, 2).join("/")
          : args.path.split("/")[0]!;
        if (args.path.startsWith("node:") || BUILTINS.has(name)) {
          return { path: args.path, external: true };
        }
        if (args.path.startsWith(OURS)) return undefined; // bundled: TypeScript sources
        const resolved = await builder.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: "resolving",
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}
