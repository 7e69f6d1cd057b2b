/**
 * The deploy recipe cannot be run here (no container engine, no cluster), so its
 * invariants are checked statically: every manifest parses, replicas own disjoint symbol
 * sets with distinct market-maker ids that the runner itself accepts, probes point at the
 * ops endpoint, the pod runs as non-root, and the Dockerfile matches the runner's layout.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { resolveConfig } from "../../src/config/resolve.ts";

const ROOT = join(import.meta.dirname, "../../../..");
const K8S = join(ROOT, "deploy/k8s");

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML, checked field by field
type Manifest = any;

function loadManifests(): Map<string, Manifest[]> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of readdirSync(K8S).filter((name) => /\.ya?ml$/.test(name))) {
    const documents = parseAllDocuments(readFileSync(join(K8S, file), "utf8"));
    const list = Array.isArray(documents) ? documents : [documents];
    for (const document of list) {
      expect(document.errors, `${file}: ${document.errors.map(String).join("; ")}`).toEqual([]);
    }
    byFile.set(
      file,
      list.map((document) => document.toJS()),
    );
  }
  return byFile;
}

const manifests = loadManifests();
const all = [...manifests.values()].flat();
const find = (kind: string, name: string): Manifest => {
  const found = all.find((m) => m?.kind === kind && m?.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
};

const statefulSet = find("StatefulSet", "mm-runner");
const pod = statefulSet.spec.template.spec;
const container = pod.containers[0];
const envConfigMap = find("ConfigMap", "mm-runner-env");
const replicaConfigMap = find("ConfigMap", "mm-runner-replicas");
const commonEnv: Record<string, string> = envConfigMap.data;

const scratch = mkdtempSync(join(tmpdir(), "mm-deploy-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the runner resolves for replica `ordinal`, exactly as the pod would start it. */
function resolveReplica(ordinal: number) {
  const podName = `${statefulSet.metadata.name}-${ordinal}`;
  const mmConfig = container.env.find((e: Manifest) => e.name === "MM_CONFIG").value as string;
  const configPath = mmConfig.replace("$(POD_NAME)", podName);
  const fileName = configPath.split("/").at(-1)!;
  const content = replicaConfigMap.data[fileName];
  if (content === undefined) throw new Error(`no ${fileName} in mm-runner-replicas`);
  const local = join(scratch, fileName);
  writeFileSync(local, content);
  const env = { ...commonEnv, POD_NAME: podName, MM_CONFIG: local };
  return resolveConfig({ argv: [], env, cwd: scratch });
}

describe("deploy/k8s manifests", () => {
  it("all parse, and kustomization lists every one of them", () => {
    const kustomization = manifests.get("kustomization.yaml")![0];
    const listed = new Set<string>(kustomization.resources);
    const files = [...manifests.keys()].filter((file) => file !== "kustomization.yaml");
    expect([...listed].sort()).toEqual(files.sort());
    for (const manifest of all) expect(manifest.kind, "every document has a kind").toBeTruthy();
  });

  it("has one config file per replica, each accepted by the runner's own validation", () => {
    const keys = Object.keys(replicaConfigMap.data).sort();
    const expected = Array.from(
      { length: statefulSet.spec.replicas },
      (_, i) => `${statefulSet.metadata.name}-${i}.yaml`,
    ).sort();
    expect(keys).toEqual(expected);
    expect(statefulSet.spec.replicas).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < statefulSet.spec.replicas; i++) {
      const resolved = resolveReplica(i);
      expect(resolved.problems, `replica ${i}`).toEqual([]);
      expect(resolved.config?.matchingoGrpcAddr, "MATCHINGO_GRPC_ADDR").toBe(
        commonEnv.MATCHINGO_GRPC_ADDR,
      );
      expect(resolved.config?.symbols.length).toBeGreaterThan(0);
    }
  });

  it("gives every replica a disjoint set of symbols and books, and its own market-maker ids", () => {
    const owner = new Map<string, number>();
    const runnerIds = new Set<string>();
    const symbolIds = new Set<string>();
    for (let i = 0; i < statefulSet.spec.replicas; i++) {
      const config = resolveReplica(i).config!;
      expect(runnerIds.has(config.runnerId), `MARKET_MAKER_ID ${config.runnerId} reused`).toBe(
        false,
      );
      runnerIds.add(config.runnerId);
      for (const symbol of config.symbols) {
        for (const key of [`symbol:${symbol.symbol}`, `book:${symbol.book}`]) {
          expect(owner.get(key), `${key} owned by replicas ${owner.get(key)} and ${i}`).toBe(
            undefined,
          );
          owner.set(key, i);
        }
        expect(symbolIds.has(symbol.marketMakerId)).toBe(false);
        symbolIds.add(symbol.marketMakerId);
      }
      // Raw file check as well, independent of the runner's id derivation.
      const raw = parseYaml(replicaConfigMap.data[`mm-runner-${i}.yaml`]);
      expect(raw.marketMakerId).toBe(config.runnerId);
    }
  });

  it("probes liveness on /healthz and readiness on /readyz at the ops port, bound for the pod IP", () => {
    const port = container.ports.find((p: Manifest) => p.name === "ops");
    expect(port.containerPort).toBe(9464);
    expect(container.startupProbe.httpGet).toEqual({ path: "/healthz", port: "ops" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "ops" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "ops" });
    // Probes come from the kubelet, not from inside the pod: 127.0.0.1 would fail them.
    expect(commonEnv.METRICS_ADDR).toBe(`0.0.0.0:${port.containerPort}`);
    const service = find("Service", "mm-runner");
    expect(service.spec.ports[0].targetPort).toBe("ops");
    expect(service.spec.selector).toEqual(statefulSet.spec.selector.matchLabels);
    expect(statefulSet.spec.template.metadata.labels).toMatchObject(
      statefulSet.spec.selector.matchLabels,
    );
  });

  it("runs as non-root with no privilege escalation and a read-only root filesystem", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.capabilities.drop).toEqual(["ALL"]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("keeps STATE_DIR on a per-replica persistent volume", () => {
    const claim = statefulSet.spec.volumeClaimTemplates[0];
    const mount = container.volumeMounts.find((m: Manifest) => m.name === claim.metadata.name);
    expect(mount.mountPath).toBe(commonEnv.STATE_DIR);
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenScaled: "Retain",
      whenDeleted: "Retain",
    });
  });

  it("lets the runner cancel everything before SIGKILL", () => {
    const shutdownSeconds = Number(commonEnv.SHUTDOWN_TIMEOUT_SECONDS);
    expect(shutdownSeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdownSeconds);
  });

  it("points at a Matchingo service, requests resources, mounts the replica configs", () => {
    expect(commonEnv.MATCHINGO_GRPC_ADDR).toMatch(/^[a-z0-9.-]+:\d+$/);
    expect(container.resources.requests.cpu).toBeTruthy();
    expect(container.resources.requests.memory).toBeTruthy();
    expect(container.resources.limits.memory).toBeTruthy();
    const configVolume = pod.volumes.find(
      (v: Manifest) => v.configMap?.name === "mm-runner-replicas",
    );
    const mount = container.volumeMounts.find((m: Manifest) => m.name === configVolume.name);
    const mmConfig = container.env.find((e: Manifest) => e.name === "MM_CONFIG").value;
    expect(mmConfig.startsWith(`${mount.mountPath}/`)).toBe(true);
    expect(container.envFrom).toContainEqual({ configMapRef: { name: "mm-runner-env" } });
  });
});

describe("deploy/Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "deploy/Dockerfile"), "utf8");
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const named = (keyword: string) => instructions.filter((line) => line.startsWith(`${keyword} `));

  it("is multi-stage on node:20-slim with a frozen, production-only install of mm-runner", () => {
    expect(named("FROM").length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20-slim/);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile --prod --filter "mm-runner\.\.\."/);
  });

  it("runs as a numeric non-root user, listens for probes from outside, has a healthcheck", () => {
    const user = named("USER").at(-1)!;
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(instructions.some((line) => line.startsWith("EXPOSE 9464"))).toBe(true);
    expect(dockerfile).toMatch(/METRICS_ADDR=0\.0\.0\.0:9464/);
    expect(named("HEALTHCHECK")[0]).toMatch(/\/healthz/);
  });

  it("starts the built runner with plain node: no tsx and no esbuild at run time", () => {
    const workdir = named("WORKDIR").at(-1)!.slice("WORKDIR ".length);
    const entry = named("ENTRYPOINT").at(-1)!;
    expect(entry).toBe('ENTRYPOINT ["node", "--max-semi-space-size=1", "dist/main.js"]');
    expect(workdir).toBe("/app/apps/mm-runner");
    // The build stage runs the runner's own build script, which writes dist/main.js.
    expect(dockerfile).toMatch(/RUN pnpm --filter mm-runner build/);
    expect(named("COPY")).toContain(
      "COPY --from=build /app/apps/mm-runner/dist /app/apps/mm-runner/dist",
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, "apps/mm-runner/package.json"), "utf8"));
    expect(pkg.scripts.build).toBeTruthy();
    // The image installs production dependencies only: neither tool may be one.
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.dependencies.esbuild).toBeUndefined();
    expect(pkg.dependencies["better-sqlite3"]).toBeTruthy();
  });

  it("copies only paths that exist, and every workspace package mm-runner depends on", () => {
    const copied = named("COPY")
      .filter((line) => !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
      .filter((source) => !source.startsWith("--"));
    for (const source of copied) expect(existsSync(join(ROOT, source)), source).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, "apps/mm-runner/package.json"), "utf8"));
    const workspaceDeps = Object.keys(pkg.dependencies).filter((name) =>
      name.startsWith("@matchingo-mm/"),
    );
    for (const dep of workspaceDeps) {
      const folder = `packages/${dep.slice("@matchingo-mm/".length)}`;
      expect(copied, `${folder}/package.json copied before install`).toContain(
        `${folder}/package.json`,
      );
    }
  });

  it("has a .dockerignore that keeps node_modules, git and secrets out of the context", () => {
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", ".git", ".env", "**/.mm-state"]) {
      expect(ignore).toContain(entry);
    }
  });
});
