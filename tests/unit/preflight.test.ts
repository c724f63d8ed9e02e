// `npm test` starts with scripts/preflight.sh: on a machine without what the suite needs it says so in one line and
// stops before anything runs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("npm test preflight", () => {
  it("is the first thing npm test runs", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(scripts.test.startsWith("bash scripts/preflight.sh && ")).toBe(true);
  });

  it("prints one line naming what is missing and how to get it, and exits 1", () => {
    // Addresses nothing listens on and that it must not try to start (not this machine's loopback), and no browser.
    const result = spawnSync("bash", ["scripts/preflight.sh"], {
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH,
        TEST_ADMIN_DATABASE_URL: "postgres://postgres@127.0.0.2:1/postgres",
        TEST_REDIS_URL: "redis://127.0.0.2:2",
        CHROMIUM_PATH: "/nonexistent/chromium",
      },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("PostgreSQL on 127.0.0.2:1 (apt-get install postgresql");
    expect(lines[0]).toContain("Redis on 127.0.0.2:2 (apt-get install redis-server");
    expect(lines[0]).toContain("Chromium at /nonexistent/chromium");
  });

  it("passes quietly when everything is there", () => {
    const result = spawnSync("bash", ["scripts/preflight.sh"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
