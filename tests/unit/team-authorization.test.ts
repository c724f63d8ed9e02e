// Guard: no management route, portal page or server action reads or changes a team's objects (projects, keys, usage,
// activity, webhooks, members) without the one authorization rule, lib/teams/authorize.ts. The tests read the source
// tree (imports, followed transitively); every failure names the files and says what to do.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const RULE = "lib/teams/authorize.ts";

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(rel));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const source = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let sf = source.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    source.set(file, sf);
  }
  return sf;
}

type Import = { specifier: string; names: string[]; typeOnly: boolean };

const importCache = new Map<string, Import[]>();
function importsOf(file: string): Import[] {
  const cached = importCache.get(file);
  if (cached) return cached;
  const out: Import[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const clause = n.importClause;
      const names: string[] = [];
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const el of clause.namedBindings.elements) if (!el.isTypeOnly) names.push((el.propertyName ?? el.name).text);
      }
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.push("*");
      out.push({ specifier: n.moduleSpecifier.text, names, typeOnly: Boolean(clause?.isTypeOnly) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ specifier: n.moduleSpecifier.text, names: ["*"], typeOnly: n.isTypeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ specifier: n.arguments[0].text, names: ["*"], typeOnly: false });
    }
    n.forEachChild(visit);
  };
  visit(parse(file));
  importCache.set(file, out);
  return out;
}

/** A module specifier → a repository file, or null for packages. */
function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (/\.(ts|tsx)$/.test(candidate) && existsSync(path.join(ROOT, candidate))) return candidate;
  }
  return null;
}

/** Every repository module an entry point loads (value imports only: types cannot read anything). */
const closures = new Map<string, Set<string>>();
function closure(entry: string): Set<string> {
  const cached = closures.get(entry);
  if (cached) return cached;
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    for (const imp of importsOf(file)) {
      if (imp.typeOnly) continue;
      const target = resolve(file, imp.specifier);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  closures.set(entry, seen);
  return seen;
}

/** The tables that hold a team's objects: reading any of them is reading something the rule guards. */
const TEAM_TABLES = ["projects", "apiKeys", "keySecrets", "usageRollups", "usageKeyTotals", "usageProjectRollups", "teams", "teamMembers", "teamInvitations", "webhookEndpoints"];

/** Which team tables a module reads or writes through a value import of the schema. */
function teamTablesOf(file: string): string[] {
  return importsOf(file)
    .filter((i) => !i.typeOnly && /(^|\/)db\/schema$/.test(i.specifier))
    .flatMap((i) => i.names.filter((n) => TEAM_TABLES.includes(n)));
}

const LIB = walk("lib");
const APP = walk("app");
const report = (offenders: string[]) => (offenders.length ? `\n  - ${offenders.join("\n  - ")}\n` : "");

/**
 * Modules that touch team tables without importing the rule themselves, each with why that is safe. Adding a module
 * here is a review decision: it must only ever be called with ids its caller already authorized (or be site-admin,
 * gateway or background work that no member request reaches).
 */
const BELOW_THE_RULE: Record<string, string> = {
  "lib/analytics/get-usage-report.ts": "usage of a project or key the page loader authorized (load-usage-pages)",
  "lib/analytics/get-quota-status.ts": "quota of key rows the page loader authorized",
  "lib/analytics/list-key-activity.ts": "per-key activity of a project the page loader authorized",
  "lib/analytics/find-insights.ts": "insights of a project the page loader authorized (all projects: admin overview)",
  "lib/analytics/detect-spikes.ts": "spike detection for key rows the caller authorized (or the background job)",
  "lib/analytics/get-admin-overview.ts": "rankings over every key for admins and the analytics job; member pages import it only through usage-signals, whose findProjectInsights filters to the project the page loader authorized",
  "lib/analytics/usage-sql.ts": "SQL fragments over rollups, no ids of its own",
  "lib/keys/load-key-records.ts": "loads secrets of key rows its caller already obtained through the rule",
  "lib/keys/insert-key.ts": "writes a new key's rows inside the transaction of a caller that authorized the project through the rule (createKey, acquireConsoleKey)",
  "lib/keys/verify-key.ts": "the metered gateway: an API key authenticates itself, no member involved",
  "lib/keys/key-cache.ts": "gateway cache of verified keys",
  "lib/keys/record-key-use.ts": "gateway bookkeeping (last used time)",
  "lib/keys/end-grace.ts": "loads the key through findKey (the rule) before touching its secrets",
  "lib/keys/rotate-key.ts": "loads the key through findKey (the rule) before touching its secrets",
  "lib/keys/revoke-key.ts": "loads the key through findKey (the rule)",
  "lib/keys/update-key.ts": "loads the key through findKey (the rule)",
  "lib/usage/query-usage.ts": "reads rollups after findKey/getProject (the rule) in the same function",
  "lib/analytics/export-key-usage.ts": "reads rollups after findKey (the rule) in the same function",
  "lib/teams/ensure-personal-team.ts": "sign-up: creates the new user's own team",
  "lib/teams/create-team.ts": "creates a team whose only member is the caller",
  "lib/teams/accept-invitation.ts": "the invitation token and the invited address are the authorization (not a member yet)",
  "lib/teams/member-changes.ts": "helpers called after authorizeTeam in the same transaction",
  "lib/teams/lock-pending-invitation.ts": "called after authorizeTeam in the same transaction",
  "lib/teams/list-team-admins.ts": "event fan-out: who to notify about a project (background work)",
  "lib/apis/api-health.ts": "an upstream's error rate summed over every project's usage (no project's numbers are shown)",
  "lib/audit/forward-audit-event.ts": "called by recordEvent after the change it records was authorized; only asks whether the audited project has an audit.event endpoint, and returns nothing to the caller",
};

/**
 * Modules that only make a new account's own personal team, reached from every page through the Auth.js config
 * (a first sign-in through a provider creates the account): they never read an existing team's objects.
 */
const MAKES_OWN_TEAM: Record<string, string> = {
  "lib/teams/ensure-personal-team.ts": "inserts the new user's personal team and owner membership (on conflict: nothing)",
};

/** Entry points that never read a team's objects on a member's behalf, each with why. */
const NOT_TEAM_SCOPED: Record<string, string> = {
  "app/api/manage/v1/me/": "the caller's own account",
  "app/api/manage/v1/tokens/": "the caller's own management tokens",
  "app/api/manage/v1/tiers/": "the public tier list",
  "app/api/manage/v1/apis/": "the registered APIs, public to every signed-in user (no team's objects)",
  "app/api/manage/v1/[[...path]]/": "404 for unknown paths",
  "app/api/manage/v1/invitations/": "accepting: the token and the invited address are the authorization",
  "app/api/manage/v1/admin/": "site admins act through the admin routes, not as team members",
  "app/admin/": "site admin console (requireAdmin)",
  "app/(auth)/": "sign-in, sign-up and the invitation page (the token and the invited address, like the accept route)",
  "app/(portal)/tokens/": "the caller's own management tokens",
  // These reach recordEvent (sign-out, session and password actions), and with it the audit.event forwarder's
  // subscription check; what they read and change is the caller's own.
  "app/(portal)/account/": "the caller's own account, sessions and sign-in methods",
  "app/(portal)/notifications/": "the caller's own notifications",
  "app/page.tsx": "the landing page (sign-out action only)",
  "app/(portal)/apis/": "the registered APIs and each upstream's health over all projects (no team's objects)",
  "app/(portal)/sso-required/": "explains a team's single sign-on requirement; its only action is the caller's own sign-out",
};

const notTeamScoped = (file: string) => Object.keys(NOT_TEAM_SCOPED).some((prefix) => file.startsWith(prefix));

/** Management routes, portal pages and layouts, and server action modules. */
const ENTRY_POINTS = APP.filter(
  (f) =>
    /^app\/api\/manage\/.*\/route\.ts$/.test(f) ||
    /\/(page|layout)\.tsx$/.test(f) ||
    /^\s*["']use server["']/m.test(readFileSync(path.join(ROOT, f), "utf8").slice(0, 200)),
);

describe("team authorization guard", () => {
  it("finds the entry points it guards (routes, pages, server actions)", () => {
    expect(ENTRY_POINTS).toContain("app/api/manage/v1/projects/[projectId]/route.ts");
    expect(ENTRY_POINTS).toContain("app/(portal)/projects/[projectId]/settings/page.tsx");
    expect(ENTRY_POINTS).toContain("app/(auth)/actions.ts");
  });

  it("every route, page and server action that reaches a team table also reaches lib/teams/authorize.ts", () => {
    const offenders: string[] = [];
    for (const entry of ENTRY_POINTS.filter((f) => !notTeamScoped(f))) {
      const reached = closure(entry);
      const readers = [...reached].filter((f) => f.startsWith("lib/") && !f.startsWith("lib/admin/") && !(f in MAKES_OWN_TEAM) && teamTablesOf(f).length > 0);
      if (readers.length > 0 && !reached.has(RULE)) offenders.push(`${entry}: reaches ${readers.join(", ")} but never ${RULE}`);
    }
    expect(offenders, `entry points that touch team objects without the authorization rule:${report(offenders)}`).toEqual([]);
  }, 30_000); // reads and follows every entry point's imports: seconds on a busy machine

  it("every team-scoped management route reaches the rule, so a new route cannot skip it by accident", () => {
    const offenders = ENTRY_POINTS.filter((f) => f.startsWith("app/api/manage/") && !notTeamScoped(f) && !closure(f).has(RULE));
    expect(offenders, `management routes that never reach ${RULE} (call authorizeProject/authorizeTeam, or list the route in NOT_TEAM_SCOPED with a reason):${report(offenders)}`).toEqual([]);
  });

  it("every lib module that reads a team table imports the rule itself, or is listed in BELOW_THE_RULE with a reason", () => {
    const offenders: string[] = [];
    for (const file of LIB.filter((f) => !f.startsWith("lib/admin/") && f !== RULE && f !== "lib/db/schema.ts")) {
      const tables = teamTablesOf(file);
      if (tables.length === 0 || file in BELOW_THE_RULE) continue;
      // Background jobs and the gateway are not reachable from a member's request; the first test proves it for
      // every entry point, so here they only need to be outside every member entry point's closure.
      // Importing the rule, or a module that authorizes with it (e.g. findKey, authorizeWebhook), both count.
      const importsRule = importsOf(file).some((i) => {
        const target = !i.typeOnly && resolve(file, i.specifier);
        return target === RULE || (target && importsOf(target).some((j) => !j.typeOnly && resolve(target, j.specifier) === RULE));
      });
      if (!importsRule && ENTRY_POINTS.some((e) => !notTeamScoped(e) && closure(e).has(file))) {
        offenders.push(`${file}: uses ${tables.join(", ")} without importing ${RULE}`);
      }
    }
    expect(offenders, `modules reachable from member requests that read team tables outside the rule:${report(offenders)}`).toEqual([]);
  });

  it("no module scopes by projects.ownerId any more (a project belongs to a team; ownerId only records who created it)", () => {
    const allowed = new Set(["lib/keys/verify-key.ts"]);
    const offenders = [...LIB, ...APP].filter((f) => !f.startsWith("lib/admin/") && !f.startsWith("lib/analytics/get-admin-overview") && !allowed.has(f) && /projects\.ownerId/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders, `files that still use projects.ownerId:${report(offenders)}`).toEqual([]);
  });

  it("the allowlists hold no stale entries", () => {
    const stale = Object.keys(BELOW_THE_RULE).filter((f) => !existsSync(path.join(ROOT, f)));
    expect(stale, `BELOW_THE_RULE names files that no longer exist:${report(stale)}`).toEqual([]);
  });
});

describe("team SSO lives in the rule", () => {
  it("every authorize* function of the rule checks team SSO before the role table", () => {
    const rule = parse(RULE);
    const offenders: string[] = [];
    let found = 0;
    rule.forEachChild((n) => {
      if (!ts.isFunctionDeclaration(n) || !n.name?.text.startsWith("authorize") || !n.body) return;
      found++;
      const body = n.body.getText(rule);
      const sso = body.indexOf("assertSso(");
      const role = body.indexOf("assertAllowed(");
      if (sso < 0 || role < 0 || sso > role) offenders.push(n.name.text);
    });
    expect(found).toBeGreaterThanOrEqual(3);
    expect(offenders, `authorize functions that skip assertSso or compare roles first:${report(offenders)}`).toEqual([]);
  });
});
