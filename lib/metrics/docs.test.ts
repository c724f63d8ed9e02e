// docs/alerts.yaml and docs/grafana-dashboard.json only name metrics (and labels) the registry really has: a renamed
// metric fails here, not silently in someone's Prometheus at 03:00.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricsRegistry } from "./registry";

const ROOT = path.resolve(__dirname, "../..");

/** Every series name the registry exposes (histograms as _bucket/_sum/_count), with the labels each may carry. */
async function exposed(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const metric of await metricsRegistry().getMetricsAsJSON()) {
    const labels = new Set<string>(["instance", "job", "le", "quantile"]);
    for (const value of metric.values ?? []) for (const name of Object.keys(value.labels ?? {})) labels.add(name);
    // Label names declared but not yet used by any sample (prom-client keeps them on the metric object).
    for (const name of ((metricsRegistry().getSingleMetric(metric.name) as unknown as { labelNames?: string[] })?.labelNames ?? [])) labels.add(name);
    out.set(metric.name, labels);
    if (String(metric.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) out.set(metric.name + suffix, labels);
  }
  return out;
}

const METRIC = /\b((?:keyport|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g;

async function check(expressions: string[]): Promise<string[]> {
  const known = await exposed();
  const problems: string[] = [];
  for (const expr of expressions) {
    for (const [, name, selector] of expr.matchAll(METRIC)) {
      const labels = known.get(name);
      if (!labels) {
        problems.push(`${name} (in ${expr.slice(0, 60)}…) is not in the registry`);
        continue;
      }
      for (const [, label] of (selector ?? "").matchAll(/(\w+)\s*(?:=~|!=|!~|=)/g)) {
        if (!labels.has(label)) problems.push(`${name} has no label "${label}"`);
      }
    }
  }
  return problems;
}

describe("shipped dashboards and alert rules", () => {
  it("alerts.yaml: every rule parses and names only existing metrics and labels", async () => {
    const doc = parse(readFileSync(path.join(ROOT, "docs/alerts.yaml"), "utf8")) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(["KeyportRedisBreakerOpen", "KeyportDatabaseDown", "KeyportOutboxStuck", "KeyportHigh5xxRate", "KeyportUpstreamErrors"]),
    );
    for (const rule of rules) expect(rule.expr, rule.alert).toMatch(METRIC);
    expect(await check(rules.map((r) => String(r.expr)))).toEqual([]);
  });

  it("grafana-dashboard.json: every panel query names only existing metrics and labels", async () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, "docs/grafana-dashboard.json"), "utf8")) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    expect(await check(exprs)).toEqual([]);
  });

  it("the check itself catches a misspelt metric and an unknown label", async () => {
    expect(await check(["rate(keyport_http_request_total[5m])"])).toHaveLength(1);
    expect(await check(['keyport_outbox_pending{queu="mail"}'])).toHaveLength(1);
  });
});
