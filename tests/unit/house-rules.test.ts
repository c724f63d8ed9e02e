// Guard tests for the house rules lint cannot express (HOUSE-STYLE.md #12). They read the source tree; every
// failure lists the offending files, so the message alone says what to fix.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
// Generated or third-party trees, and tool state; everything else in the repository is ours.
const SKIP_DIRS = new Set(["node_modules", "drizzle", "test-results", "playwright-report", "public"]);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(rel));
    else out.push(rel);
  }
  return out;
}

const ALL_FILES = walk("");
const sourceFiles = (...roots: string[]) => ALL_FILES.filter((f) => SOURCE.test(f) && (roots.length === 0 || roots.some((r) => f.startsWith(`${r}/`))));

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    const kind = file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true, kind);
    parsed.set(file, sf);
  }
  return sf;
}

function visit(node: ts.Node, fn: (n: ts.Node) => void) {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

/** Every module specifier a file imports or re-exports, static or dynamic, with whether it is type-only. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const out: { specifier: string; typeOnly: boolean }[] = [];
  visit(parse(file), (n) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ specifier: n.moduleSpecifier.text, typeOnly: Boolean(n.importClause?.isTypeOnly) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ specifier: n.moduleSpecifier.text, typeOnly: n.isTypeOnly });
    } else if (
      ts.isCallExpression(n) &&
      (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require")) &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    ) {
      out.push({ specifier: n.arguments[0].text, typeOnly: false });
    }
  });
  return out;
}

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

type Handler = { method: string; wrapper: string | null; how: string };

/** The route's exported HTTP method handlers and the function each one is built with (`withApiKey(…)` → withApiKey). */
/** The 405 stubs (and their OPTIONS): a route's header comment names only the methods it serves. */
const STUB_WRAPPERS = new Set(["methodNotAllowed", "otherMethods", "manageOtherMethods"]);

function handlersOf(file: string): Handler[] {
  const sf = parse(file);
  const initializers = new Map<string, ts.Expression | undefined>();
  const handlers: Handler[] = [];
  const calleeOf = (expr: ts.Expression | undefined): string | null => {
    let e = expr;
    while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
    if (e && ts.isCallExpression(e)) return e.expression.getText(sf);
    return null;
  };
  const isExported = (s: ts.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isMethod = (name: string) => (HTTP_METHODS as readonly string[]).includes(name);

  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) {
          initializers.set(d.name.text, d.initializer);
          if (isExported(s) && isMethod(d.name.text)) handlers.push({ method: d.name.text, wrapper: calleeOf(d.initializer), how: d.initializer?.getText(sf).split("\n")[0].slice(0, 60) ?? "" });
        } else if (isExported(s) && ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            // `export const { PUT, … } = otherMethods([…])`: the 405 stubs of lib/http/method-not-allowed.ts.
            if (ts.isIdentifier(el.name) && isMethod(el.name.text)) handlers.push({ method: el.name.text, wrapper: calleeOf(d.initializer), how: `destructured from ${d.initializer?.getText(sf)}` });
          }
        }
      }
    } else if (ts.isFunctionDeclaration(s) && s.name && isExported(s) && isMethod(s.name.text)) {
      handlers.push({ method: s.name.text, wrapper: null, how: "a plain exported function" });
    }
  }
  for (const s of sf.statements) {
    if (!ts.isExportDeclaration(s) || !s.exportClause || !ts.isNamedExports(s.exportClause)) continue;
    for (const spec of s.exportClause.elements) {
      if (!isMethod(spec.name.text)) continue;
      const local = (spec.propertyName ?? spec.name).getText(sf);
      if (s.moduleSpecifier) handlers.push({ method: spec.name.text, wrapper: null, how: `re-exported from ${s.moduleSpecifier.getText(sf)}` });
      else handlers.push({ method: spec.name.text, wrapper: calleeOf(initializers.get(local)), how: `${local} = ${initializers.get(local)?.getText(sf).split("\n")[0].slice(0, 60) ?? "?"}` });
    }
  }
  return handlers;
}

/** "- file: reason" lines for a failure message. */
const report = (offenders: string[]) => (offenders.length ? `\n  - ${offenders.join("\n  - ")}\n` : "");

const ROUTE_FILES = ALL_FILES.filter((f) => f.startsWith("app/") && /\/route\.(ts|tsx|js)$/.test(f));

/** The URL path a route file serves: route groups dropped, `[id]` → `{id}`, `[...rest]` → `*`. */
function urlOf(routeFile: string): string {
  const segments = routeFile
    .replace(/^app\//, "")
    .replace(/\/?route\.\w+$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"))
    .map((s) => (/^\[\[?\.\.\./.test(s) ? "*" : s.replace(/^\[(\w+)\]$/, "{$1}")));
  return `/${segments.join("/")}`;
}

describe("house rules", () => {
  it("no file under app/ (or components/) imports @/lib/db or drizzle-orm (pages and handlers go through lib domain functions)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("app", "components")) {
      for (const { specifier, typeOnly } of importsOf(file)) {
        const isDb = /^@\/lib\/db(\/|$)/.test(specifier) || /(^|\/)lib\/db(\/|$)/.test(specifier) || /^drizzle-orm(\/|$)/.test(specifier);
        if (isDb) offenders.push(`${file}: imports "${specifier}"${typeOnly ? " (type-only)" : ""}`);
      }
    }
    expect(offenders, `app/ and components/ files importing the database layer:${report(offenders)}`).toEqual([]);
  });

  it("route handlers have no try/catch (route() turns every thrown ApiError into problem+json)", () => {
    const offenders: string[] = [];
    for (const file of ROUTE_FILES) {
      visit(parse(file), (n) => {
        if (ts.isTryStatement(n)) offenders.push(`${file}:${parse(file).getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      });
    }
    expect(offenders, `try/catch in route handlers:${report(offenders)}`).toEqual([]);
  });

  it("every app/**/route.ts starts with a `// METHOD /path — …` comment naming its path and every method it serves", () => {
    const offenders: string[] = [];
    const first = new RegExp(`^// (${HTTP_METHODS.join("|")})(, ?(${HTTP_METHODS.join("|")}))* (/\\S*) — \\S`);
    for (const file of ROUTE_FILES) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const match = first.exec(text);
      if (!match) {
        offenders.push(`${file}: first line is ${JSON.stringify(text.split("\n")[0].slice(0, 80))}`);
        continue;
      }
      const commented = match[4].replace(/\?.*$/, "").replace(/\[(\w+)\]|:(\w+)/g, (_m, a, b) => `{${a ?? b}}`).replace(/\{\.\.\.\w+\}|\.\.\.$/, "*");
      if (commented !== urlOf(file)) offenders.push(`${file}: comment names ${commented}, the file serves ${urlOf(file)}`);
      const header = text.match(/^(\/\/.*\n)+/)?.[0] ?? "";
      const served = handlersOf(file).filter((h) => !STUB_WRAPPERS.has(h.wrapper ?? "")).map((h) => h.method);
      const missing = served.filter((m) => !new RegExp(`\\b${m}\\b`).test(header));
      if (missing.length) offenders.push(`${file}: header comment does not mention ${missing.join(", ")}`);
    }
    expect(offenders, `route files without a proper leading comment:${report(offenders)}`).toEqual([]);
  });

  it("every app/api/v1/**/route.ts (except openapi.json) exports only handlers wrapped with withApiKey", () => {
    // withApiKey owns authentication, limits and metering: a handler outside it (a 404 catch-all, a 405 stub) answers
    // requests that carry a valid key without counting them, which the contract forbids ("usage counts every
    // /api/v1 request made with a valid key").
    const offenders: string[] = [];
    for (const file of ROUTE_FILES.filter((f) => f.startsWith("app/api/v1/") && !f.startsWith("app/api/v1/openapi.json/"))) {
      const handlers = handlersOf(file);
      if (handlers.length === 0) offenders.push(`${file}: exports no HTTP method handler`);
      for (const h of handlers) if (h.wrapper !== "withApiKey") offenders.push(`${file}: ${h.method} is ${h.how || "not a withApiKey(…) call"}`);
    }
    expect(offenders, `/api/v1 handlers not wrapped with withApiKey:${report(offenders)}`).toEqual([]);
  });

  it("every app/api/manage/**/route.ts exports only handlers wrapped with withUser", () => {
    const offenders: string[] = [];
    for (const file of ROUTE_FILES.filter((f) => f.startsWith("app/api/manage/"))) {
      const handlers = handlersOf(file);
      if (handlers.length === 0) offenders.push(`${file}: exports no HTTP method handler`);
      // manageOtherMethods wraps its 405 stubs in withUser too (lib/manage/with-user.ts).
      for (const h of handlers) if (h.wrapper !== "withUser" && h.wrapper !== "manageOtherMethods") offenders.push(`${file}: ${h.method} is ${h.how || "not a withUser(…) call"}`);
    }
    expect(offenders, `management handlers not wrapped with withUser:${report(offenders)}`).toEqual([]);
  });

  it("no process.env outside lib/env.ts, config files, scripts and tests", () => {
    const allowed = (f: string) =>
      f === "lib/env.ts" ||
      /^[^/]+\.config\.(ts|mts|js|mjs|cjs)$/.test(f) ||
      // Next.js evaluates instrumentation.ts for the edge runtime too, where lib/env.ts (node:fs) cannot load; it only
      // reads the framework's own NEXT_RUNTIME to bail out there.
      f === "instrumentation.ts" ||
      /^(scripts|tests|e2e)\//.test(f) ||
      // Copy-paste examples for the provider's own apps (the verify API middleware): their env, not Keyport's.
      /^docs\/examples\//.test(f) ||
      /\.test\.tsx?$/.test(f);
    const offenders: string[] = [];
    for (const file of sourceFiles().filter((f) => !allowed(f))) {
      visit(parse(file), (n) => {
        const isEnv =
          (ts.isPropertyAccessExpression(n) && n.name.text === "env") ||
          (ts.isElementAccessExpression(n) && ts.isStringLiteral(n.argumentExpression) && n.argumentExpression.text === "env");
        if (isEnv && ts.isIdentifier(n.expression) && n.expression.text === "process") {
          const { line } = parse(file).getLineAndCharacterOfPosition(n.getStart());
          offenders.push(`${file}:${line + 1}`);
        }
      });
    }
    expect(offenders, `process.env read outside lib/env.ts:${report(offenders)}`).toEqual([]);
  });

  it("no console.log in lib/ or app/ (use the pino logger from lib/log.ts)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("lib", "app").filter((f) => !/\.test\.tsx?$/.test(f))) {
      visit(parse(file), (n) => {
        if (ts.isCallExpression(n) && n.expression.getText(parse(file)).replace(/\s/g, "") === "console.log") {
          const { line } = parse(file).getLineAndCharacterOfPosition(n.getStart());
          offenders.push(`${file}:${line + 1}`);
        }
      });
    }
    expect(offenders, `console.log calls:${report(offenders)}`).toEqual([]);
  });

  it("file and folder names under lib/, components/ and app/ are kebab-case", () => {
    const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;
    // Next.js routing segments: [param], [...rest], [[...rest]], (group), @slot, _private.
    const nextSegment = /^(\[\[?(\.\.\.)?[A-Za-z0-9]+\]\]?|\([a-z0-9-]+\)|@[a-z0-9-]+|_[a-z0-9-]+)$/;
    const offenders = new Set<string>();
    for (const file of ALL_FILES.filter((f) => /^(lib|components|app)\//.test(f))) {
      const parts = file.split("/");
      parts.forEach((part, i) => {
        const base = part.split(".")[0];
        const ok = kebab.test(base) || (parts[0] === "app" && i < parts.length - 1 && nextSegment.test(part));
        if (!ok) offenders.add(parts.slice(0, i + 1).join("/"));
      });
    }
    expect([...offenders], `names that are not kebab-case:${report([...offenders])}`).toEqual([]);
  });

  it("the guards see the tree (sanity: they would fail if they scanned nothing)", () => {
    expect(ROUTE_FILES.length).toBeGreaterThan(10);
    expect(ROUTE_FILES).toContain("app/api/manage/v1/me/route.ts");
    expect(handlersOf("app/api/manage/v1/me/route.ts")).toEqual([
      expect.objectContaining({ method: "GET", wrapper: "withUser" }),
      ...["POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((method) => expect.objectContaining({ method, wrapper: "manageOtherMethods" })),
    ]);
    expect(urlOf("app/api/manage/v1/projects/[projectId]/route.ts")).toBe("/api/manage/v1/projects/{projectId}");
    expect(urlOf("app/api/auth/[...nextauth]/route.ts")).toBe("/api/auth/*");
  });
});
