// Start-up failures end the process (CONTRACT §12): a database that accepts connections but never answers → exit 1
// within about 10 s with one line; a port already in use → exit 1 with one line naming it.
import { spawn } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort, serverEntry } from "../../support/app-server";
import { TEST_REDIS_URL } from "../../support/databases";

const opened: Server[] = [];
const sockets = new Set<Socket>();

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(opened.map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: Server, host?: string): Promise<number> {
  opened.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

/** Runs the production server entry until it exits; returns its code, how long it took, and what it printed. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; ms: number; lines: string[] }> {
  const started = Date.now();
  const child = spawn(process.execPath, [serverEntry()], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KEYPORT_DIST_DIR: process.env.KEYPORT_DIST_DIR ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: inject("redisPrefix"),
      AUTH_SECRET: "test-secret-test-secret-test-secret-test",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, ms: Date.now() - started, lines: output.split("\n").filter(Boolean) });
    }),
  );
}

describe("start-up failures", () => {
  it("exits 1 with one line when the database accepts connections but never answers", async () => {
    const port = await listen(
      createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => {});
      }),
      "127.0.0.1",
    );
    const result = await runServer({ PORT: String(await freePort()), DATABASE_URL: `postgres://keyport@127.0.0.1:${port}/keyport` });
    expect(result.code).toBe(1);
    // 10 s for the database, plus loading the server itself (several seconds on a busy CI machine).
    expect(result.ms).toBeLessThan(25_000);
    expect(result.lines[0]).toContain("did not answer within 10 s");
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/database/);
  });

  it("exits 1 with one line when the port is already in use", async () => {
    const port = await listen(createServer());
    const result = await runServer({ PORT: String(port), DATABASE_URL: inject("databaseUrl") });
    expect(result.code).toBe(1);
    const failure = result.lines.filter((l) => l.includes('"level":60'));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toContain(`port ${port} is already in use`);
  });
});
