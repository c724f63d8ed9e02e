// Guard: no route leaves a method to the framework, whose 405 has no problem body and no Allow header, and whose
// OPTIONS answer would list every exported stub as allowed (RFC 9110 §15.5.6; CONTRACT §4 errors).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowHeader } from "../../lib/http/method-not-allowed";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

function exportedMethods(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)) found.add(m[1]);
  for (const m of source.matchAll(/export\s+(?:const\s*)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+|:/).pop()?.trim() ?? "";
      if (METHODS.includes(name)) found.add(name);
    }
  }
  return found;
}

describe("every route answers every method itself", () => {
  const files = routeFiles(path.resolve(__dirname, "../../app"));

  it("finds the routes", () => expect(files.length).toBeGreaterThan(50));

  it.each(files.map((f) => [path.relative(process.cwd(), f)]))("%s exports GET, POST, PUT, PATCH, DELETE and OPTIONS", (file) => {
    const missing = METHODS.filter((m) => !exportedMethods(readFileSync(file, "utf8")).has(m));
    expect(missing, `add: export const { ${missing.join(", ")} } = otherMethods([...]) from lib/http/method-not-allowed`).toEqual([]);
  });

  it("Allow lists the route's methods and OPTIONS, never HEAD (not a documented operation)", () => {
    expect(allowHeader(["GET", "POST"])).toBe("GET, POST, OPTIONS");
    expect(allowHeader(["GET", "HEAD"])).toBe("GET, OPTIONS");
  });
});
