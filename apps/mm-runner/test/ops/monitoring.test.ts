import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createOpsMetrics } from "../../src/ops/index.ts";
import { fakeSupervisor } from "./fake-status.ts";

const ROOT = join(import.meta.dirname, "../../../..");

/**
 * Metrics the monitoring already uses that another change adds: `mm_risk_state` comes with
 * the risk limits (issue 13). Remove a name here once metrics.ts exports it.
 */
const COMING = new Set(["mm_risk_state"]);

async function exported(): Promise<Set<string>> {
  const supervisor = fakeSupervisor({ "BTC-USDT": "50000.00" });
  const metrics = createOpsMetrics({ getStatus: supervisor.getStatus });
  const text = await metrics.registry.metrics();
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)/gm)) {
    const [, name, type] = match;
    names.add(name!);
    if (type === "histogram" || type === "summary") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

/** Metric names in a PromQL expression (ours and Node's; functions and labels are not). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:mm|nodejs|process)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

function checkAll(where: string, exprs: readonly string[], known: Set<string>): string[] {
  expect(exprs.length, `${where} has no expressions`).toBeGreaterThan(0);
  const unknown: string[] = [];
  for (const expr of exprs) {
    const names = metricsIn(expr);
    expect(names.length, `${where}: ${expr} uses no metric of ours`).toBeGreaterThan(0);
    for (const name of names) {
      if (!known.has(name) && !COMING.has(name)) unknown.push(`${name} (in ${expr})`);
    }
  }
  return unknown;
}

describe("monitoring as code (deploy/)", () => {
  it("the Grafana dashboard parses and every metric it charts is one the runner exports", async () => {
    const dashboard = JSON.parse(
      readFileSync(join(ROOT, "deploy/grafana/dashboard.json"), "utf8"),
    ) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.uid).toBe("mm-runner");
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr));
    expect(checkAll("dashboard", exprs, await exported())).toEqual([]);
  });

  it("the alert rules cover ready, price age, failover, restarts, risk state and venue lost, with exported metrics", async () => {
    const rules = parseYaml(readFileSync(join(ROOT, "deploy/prometheus/alerts.yml"), "utf8")) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const all = rules.groups.flatMap((group) => group.rules);
    const used = new Set(all.flatMap((rule) => metricsIn(rule.expr)));
    for (const name of [
      "mm_ready",
      "mm_price_age_seconds",
      "mm_price_failovers_total",
      "mm_worker_restarts_total",
      "mm_risk_state",
      "mm_venue_lost_total",
    ]) {
      expect(used, name).toContain(name);
    }
    const exprs = all.map((rule) => rule.expr).filter((expr) => !expr.startsWith("up{"));
    expect(checkAll("alerts.yml", exprs, await exported())).toEqual([]);
  });

  it("the check catches a metric the runner does not export", async () => {
    expect(checkAll("probe", ["rate(mm_cycle_total[5m])"], await exported())).toEqual([
      "mm_cycle_total (in rate(mm_cycle_total[5m]))",
    ]);
  });
});
