// The one way specs run axe-core: every rule (or the ones asked for), only violations collected and sent back (the
// passes and inapplicable lists of a page with 30 keys and a hundred log rows are most of axe's work and payload), in
// legacy mode. Legacy mode runs axe in the page itself instead of opening a blank page per run to merge the results
// of frames, which cost more than the audit; it tests frames only from their parent, so the page is first checked
// to have none, and nothing goes untested.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export type AxeScope = { include?: string; rules?: string[] };

/** The page's serious and critical violations, one line each (rule, impact, up to five targets). */
export async function seriousViolations(page: Page, scope: AxeScope = {}): Promise<string[]> {
  expect(await page.locator("iframe").count(), `${page.url()} has a frame, which axe's legacy mode would not test`).toBe(0);
  let builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  if (scope.include) builder = builder.include(scope.include);
  if (scope.rules) builder = builder.withRules(scope.rules);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")}${scope.rules ? ` ${n.failureSummary ?? ""}` : ""}`).slice(0, 5).join(" | ")}`);
}
