// Docker cannot run where the suite runs, so the container files are checked against the code they depend on:
// compose.yaml sets only variables lib/env.ts knows (and they parse), the Dockerfile runs only npm commands and
// scripts package.json has, copies what the server entry needs, and health-checks a route that exists.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseEnv } from "../../lib/env";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** The variables lib/env.ts's schema declares (its object keys, four spaces in). */
const ENV_KEYS = new Set([...read("lib/env.ts").matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));

type Service = { build?: unknown; image?: string; environment?: Record<string, string | number | boolean> | string[]; command?: string[]; volumes?: string[] };
const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, Service> };
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined || s.image?.startsWith("keyport"));

/** Compose interpolation as `docker compose` does it with an empty environment (and a made-up required secret). */
const interpolate = (value: string) =>
  value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string) =>
    op === "-" ? arg : op === "?" ? (name === "AUTH_SECRET" ? "x".repeat(44) : "") : "",
  );

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const pairs = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(env).map(([k, v]) => [k, String(v)] as [string, string]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v ?? "")]));
}

describe("compose.yaml", () => {
  it("runs two app instances, a proxy, PostgreSQL, Redis with appendonly yes, and an SMTP catcher", () => {
    expect(appServices.length).toBe(2);
    const images = Object.values(compose.services).map((s) => s.image ?? "");
    expect(images.some((i) => /^postgres:/.test(i))).toBe(true);
    expect(images.some((i) => /^(caddy|nginx|traefik|haproxy)/.test(i))).toBe(true);
    expect(images.some((i) => /mailpit|mailhog|smtp4dev/.test(i))).toBe(true);
    const redis = Object.values(compose.services).find((s) => /^redis:/.test(s.image ?? ""));
    expect(redis?.command?.join(" ")).toMatch(/--appendonly yes/);
    for (const s of Object.values(compose.services)) for (const v of s.volumes ?? []) {
      const source = v.split(":")[0];
      if (source.startsWith("./")) expect(existsSync(path.join(ROOT, source)), v).toBe(true);
    }
  });

  it("sets only variables lib/env.ts declares, and they parse", () => {
    expect(ENV_KEYS.size).toBeGreaterThan(30);
    for (const [name, service] of appServices) {
      const env = environmentOf(service);
      expect(Object.keys(env).filter((k) => !ENV_KEYS.has(k)), name).toEqual([]);
      const parsed = parseEnv({ ...env, NODE_ENV: "production" });
      expect(parsed.DATABASE_URL, name).toMatch(/^postgres:\/\//);
      expect(parsed.REDIS_URL, name).toMatch(/^redis:\/\//);
      expect(parsed.SMTP_URL, name).toMatch(/^smtp:\/\//);
      expect(parsed.TRUSTED_PROXIES, name).toBe(1);
    }
  });

  it("the check itself notices an unknown variable", () => {
    expect(ENV_KEYS.has("DATABASE_URL")).toBe(true);
    expect(ENV_KEYS.has("DATABSE_URL")).toBe(false);
  });
});

describe("Dockerfile", () => {
  // Instructions only: comments may mention npm in passing.
  const dockerfile = read("Dockerfile")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n");
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

  it("runs only npm commands and scripts that exist", () => {
    const commands = [...dockerfile.matchAll(/\bnpm\s+([a-z-]+)(?:\s+([\w:-]+))?/g)].map((m) => ({ verb: m[1], arg: m[2] }));
    expect(commands.length).toBeGreaterThan(1);
    for (const { verb, arg } of commands) {
      expect(["ci", "run", "prune", "start"], verb).toContain(verb);
      if (verb === "run") expect(Object.keys(scripts), `npm run ${arg}`).toContain(arg);
    }
    if (/\bnpm ci\b/.test(dockerfile)) expect(existsSync(path.join(ROOT, "package-lock.json"))).toBe(true);
  });

  it("is multi-stage, non-root, health-checks /api/health, and starts the server entry the way npm start does", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (?!root)\w+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/api\/health/m);
    expect(existsSync(path.join(ROOT, "app/api/health/route.ts"))).toBe(true);
    // npm start runs the entry `npm run build` bundles from server.ts; so does the image.
    expect(scripts["build:server"]).toMatch(/^esbuild server\.ts .*--outfile=\$\{KEYPORT_DIST_DIR:-\.next\}\/keyport-server\.cjs$/);
    expect(scripts.build).toContain("npm run --silent build:server");
    expect(scripts.start).toMatch(/ node \$\{KEYPORT_DIST_DIR:-\.next\}\/keyport-server\.cjs$/);
    expect(dockerfile).toMatch(/^CMD \["node", "\.next\/keyport-server\.cjs"\]/m);
  });

  it("copies every file the runtime stage needs: what server.ts imports, migrations, the build", () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    const copied = new Set([...runtime.matchAll(/^COPY --from=\w+(?: --chown=\S+)? (.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/).map((p) => p.replace(/^\/app\//, ""))));
    const imported = [...read("server.ts").matchAll(/from "\.\/([^/"]+)/g)].map((m) => (m[1].includes(".") ? m[1] : m[1].replace(/$/, "")));
    for (const top of new Set(imported)) {
      const entry = existsSync(path.join(ROOT, `${top}.ts`)) ? `${top}.ts` : top;
      expect([...copied], `server.ts imports ./${top}`).toContain(entry);
    }
    for (const needed of ["package.json", "node_modules", ".next", "drizzle", "server.ts", "instrumentation.ts", "next.config.ts"]) expect([...copied], needed).toContain(needed);
    // Copied from the build context: they must exist in the repository.
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const p of m[1].split(/\s+/)) if (p !== ".") expect(existsSync(path.join(ROOT, p)), p).toBe(true);
  });
});
